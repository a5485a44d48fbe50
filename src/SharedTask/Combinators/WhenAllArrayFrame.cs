using SharedTask.Diagnostics;
using SharedTask.Frames;
using SharedTask.Pooling;

namespace SharedTask.Combinators;

/// <summary>The frame of <c>SimpleTask.WhenAll</c> over <see cref="SimpleTask{T}"/> inputs: every result, in input order.</summary>
internal sealed class WhenAllArrayFrame<T> : WhenAllFrame<T[]>, IPooledItem<WhenAllArrayFrame<T>>
{
    static WhenAllArrayFrame<T> IPooledItem<WhenAllArrayFrame<T>>.CreateForPool() => new();

    static bool IPooledItem<WhenAllArrayFrame<T>>.IsFrame => true;

    /// <summary>
    /// The array the caller gets: allocated by the setup (the one allocation an array API must make), written by the
    /// deliveries at their positions, dropped when the use ends.
    /// </summary>
    private T[]? _results;

    /// <summary>Consumes every handle of <paramref name="inputs"/> and returns a handle to their combined outcome.</summary>
    internal static SimpleTask<T[]> Start(ReadOnlySpan<SimpleTask<T>> inputs)
    {
        if (inputs.IsEmpty)
        {
            return new SimpleTask<T[]>([]);
        }

        WhenAllArrayFrame<T> frame = Pool<WhenAllArrayFrame<T>>.Rent();
        frame._results = new T[inputs.Length];
        uint generation = frame.BeginAll(inputs.Length);
        for (int i = 0; i < inputs.Length; i++)
        {
            frame.AddInput(i, inputs[i]);
        }

        frame.RegisterInputs();
        return new SimpleTask<T[]>(frame, HandleToken.Primary(generation));
    }

    private protected override void StoreResult(InputWaiter input) => _results![input.Index] = ((InputWaiter<T>)input).Value;

    private protected override T[] BuildResult() => _results!;

    private protected override void ResetForNextUse()
    {
        base.ResetForNextUse();
        _results = null;
    }

    private protected override void ReturnToPool() => Pool<WhenAllArrayFrame<T>>.Return(this);

    internal override string Describe() => $"{DisplayNames.Result<T[]>()} of SimpleTask.WhenAll";
}
