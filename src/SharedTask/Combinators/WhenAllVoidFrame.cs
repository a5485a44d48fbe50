using SharedTask.Frames;
using SharedTask.Pooling;

namespace SharedTask.Combinators;

/// <summary>The frame of <c>SimpleTask.WhenAll</c> over non-generic <see cref="SimpleTask"/> inputs: no results to keep.</summary>
internal sealed class WhenAllVoidFrame : WhenAllFrame<VoidResult>, IPooledItem<WhenAllVoidFrame>
{
    static WhenAllVoidFrame IPooledItem<WhenAllVoidFrame>.CreateForPool() => new();

    static bool IPooledItem<WhenAllVoidFrame>.IsFrame => true;

    /// <summary>Consumes every handle of <paramref name="inputs"/> and returns a handle to their combined outcome.</summary>
    internal static SimpleTask Start(ReadOnlySpan<SimpleTask> inputs)
    {
        if (inputs.IsEmpty)
        {
            return SimpleTask.CompletedTask;
        }

        WhenAllVoidFrame frame = Pool<WhenAllVoidFrame>.Rent();
        uint generation = frame.BeginAll(inputs.Length);
        for (int i = 0; i < inputs.Length; i++)
        {
            frame.AddInput(i, inputs[i].Inner);
        }

        frame.RegisterInputs();
        return new SimpleTask(new SimpleTask<VoidResult>(frame, HandleToken.Primary(generation)));
    }

    private protected override void StoreResult(InputWaiter input)
    {
    }

    private protected override VoidResult BuildResult() => default;

    private protected override void ReturnToPool() => Pool<WhenAllVoidFrame>.Return(this);

    internal override string Describe() => "SimpleTask of SimpleTask.WhenAll";
}
