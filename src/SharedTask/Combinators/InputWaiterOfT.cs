using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Pooling;

namespace SharedTask.Combinators;

/// <summary>The node for an input of type <typeparamref name="T"/>: holds the input's handle, then its result.</summary>
internal sealed class InputWaiter<T> : InputWaiter, IPooledItem<InputWaiter<T>>
{
    static InputWaiter<T> IPooledItem<InputWaiter<T>>.CreateForPool() => new();

    static bool IPooledItem<InputWaiter<T>>.IsFrame => false;

    /// <summary>The input's handle, owned by this node from <see cref="Rent"/> until <see cref="ConsumeInput"/> takes it.</summary>
    private SimpleTask<T> _input;

    /// <summary>The input's result, when it succeeded. Written before the delivery; read by the combinator during it.</summary>
    internal T Value { get; private set; } = default!;

    /// <summary>
    /// Rents a node that owns <paramref name="input"/> and reports to <paramref name="combinator"/> as input
    /// <paramref name="index"/>; <paramref name="detachable"/> when the combinator may decide without it.
    /// </summary>
    internal static InputWaiter<T> Rent(SimpleTask<T> input, ICombinator combinator, int index, bool detachable)
    {
        InputWaiter<T> node = Pool<InputWaiter<T>>.Rent();
        node._input = input;
        node.Attach(combinator, index, detachable);
        return node;
    }

    internal override void Register()
    {
        // Runs wherever the input completes: the node only reads an outcome; the combinator's own awaiters resume where
        // they asked to.
        if (!_input.TryRegisterInternal(this))
        {
            Run();
        }
    }

    private protected override void ConsumeInput()
    {
        SimpleTask<T> input = _input;
        _input = default;
        try
        {
            Value = input.Consume();
        }
        catch (Exception exception)
        {
            Error = ExceptionDispatchInfo.Capture(exception);
        }
    }

    private protected override void ClearResult()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Value = default!;
        }
    }

    private protected override void ReturnToPool() => Pool<InputWaiter<T>>.Return(this);
}
