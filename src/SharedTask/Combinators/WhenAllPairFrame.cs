using System.Runtime.CompilerServices;
using SharedTask.Diagnostics;
using SharedTask.Frames;
using SharedTask.Pooling;

namespace SharedTask.Combinators;

/// <summary>The frame of the two-input <c>SimpleTask.WhenAll</c>: both results as a tuple, with no array to allocate.</summary>
internal sealed class WhenAllPairFrame<T1, T2> : WhenAllFrame<(T1, T2)>, IPooledItem<WhenAllPairFrame<T1, T2>>
{
    static WhenAllPairFrame<T1, T2> IPooledItem<WhenAllPairFrame<T1, T2>>.CreateForPool() => new();

    static bool IPooledItem<WhenAllPairFrame<T1, T2>>.IsFrame => true;

    /// <summary>The first input's result; written by its delivery, cleared when the use ends.</summary>
    private T1 _first = default!;

    /// <summary>The second input's result; written by its delivery, cleared when the use ends.</summary>
    private T2 _second = default!;

    /// <summary>Consumes both handles and returns a handle to their combined outcome.</summary>
    internal static SimpleTask<(T1, T2)> Start(SimpleTask<T1> first, SimpleTask<T2> second)
    {
        WhenAllPairFrame<T1, T2> frame = Pool<WhenAllPairFrame<T1, T2>>.Rent();
        uint generation = frame.BeginAll(2);
        frame.AddInput(0, first);
        frame.AddInput(1, second);
        frame.RegisterInputs();
        return new SimpleTask<(T1, T2)>(frame, HandleToken.Primary(generation));
    }

    private protected override void StoreResult(InputWaiter input)
    {
        if (input.Index == 0)
        {
            _first = ((InputWaiter<T1>)input).Value;
        }
        else
        {
            _second = ((InputWaiter<T2>)input).Value;
        }
    }

    private protected override (T1, T2) BuildResult() => (_first, _second);

    private protected override void ResetForNextUse()
    {
        base.ResetForNextUse();
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>())
        {
            _first = default!;
        }

        if (RuntimeHelpers.IsReferenceOrContainsReferences<T2>())
        {
            _second = default!;
        }
    }

    private protected override void ReturnToPool() => Pool<WhenAllPairFrame<T1, T2>>.Return(this);

    internal override string Describe() =>
        $"SimpleTask<({typeof(T1).Name}, {typeof(T2).Name})> of SimpleTask.WhenAll";
}
