using SharedTask.Diagnostics;
using SharedTask.Frames;
using SharedTask.Pooling;

namespace SharedTask.Combinators;

/// <summary>The frame of <c>SimpleTask.WhenAny</c> over <see cref="SimpleTask{T}"/> inputs: the winner's position and result.</summary>
internal sealed class WhenAnyValueFrame<T> : WhenAnyFrame<(int Index, T Result)>, IPooledItem<WhenAnyValueFrame<T>>
{
    static WhenAnyValueFrame<T> IPooledItem<WhenAnyValueFrame<T>>.CreateForPool() => new();

    static bool IPooledItem<WhenAnyValueFrame<T>>.IsFrame => true;

    /// <summary>Consumes every handle of <paramref name="inputs"/> (at least one) and returns a handle to the first outcome.</summary>
    internal static SimpleTask<(int Index, T Result)> Start(ReadOnlySpan<SimpleTask<T>> inputs)
    {
        WhenAnyValueFrame<T> frame = Pool<WhenAnyValueFrame<T>>.Rent();
        uint generation = frame.BeginUse(inputs.Length, registrations: 0);
        for (int i = 0; i < inputs.Length; i++)
        {
            frame.AddInput(i, inputs[i]);
        }

        frame.RegisterInputs();
        return new SimpleTask<(int Index, T Result)>(frame, HandleToken.Primary(generation));
    }

    private protected override (int Index, T Result) ResultOf(InputWaiter winner) => (winner.Index, ((InputWaiter<T>)winner).Value);

    private protected override void ReturnToPool() => Pool<WhenAnyValueFrame<T>>.Return(this);

    internal override string Describe() => $"SimpleTask<(int, {typeof(T).Name})> of SimpleTask.WhenAny";
}
