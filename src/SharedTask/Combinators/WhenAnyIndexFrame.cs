using SharedTask.Frames;
using SharedTask.Pooling;

namespace SharedTask.Combinators;

/// <summary>The frame of <c>SimpleTask.WhenAny</c> over non-generic <see cref="SimpleTask"/> inputs: the winner's position.</summary>
internal sealed class WhenAnyIndexFrame : WhenAnyFrame<int>, IPooledItem<WhenAnyIndexFrame>
{
    static WhenAnyIndexFrame IPooledItem<WhenAnyIndexFrame>.CreateForPool() => new();

    static bool IPooledItem<WhenAnyIndexFrame>.IsFrame => true;

    /// <summary>Consumes every handle of <paramref name="inputs"/> (at least one) and returns a handle to the first outcome.</summary>
    internal static SimpleTask<int> Start(ReadOnlySpan<SimpleTask> inputs)
    {
        WhenAnyIndexFrame frame = Pool<WhenAnyIndexFrame>.Rent();
        uint generation = frame.BeginUse(inputs.Length, registrations: 0);
        for (int i = 0; i < inputs.Length; i++)
        {
            frame.AddInput(i, inputs[i].Inner);
        }

        frame.RegisterInputs();
        return new SimpleTask<int>(frame, HandleToken.Primary(generation));
    }

    private protected override int ResultOf(InputWaiter winner) => winner.Index;

    private protected override void ReturnToPool() => Pool<WhenAnyIndexFrame>.Return(this);

    internal override string Describe() => "SimpleTask<Int32> of SimpleTask.WhenAny";
}
