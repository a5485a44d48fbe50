using System.Diagnostics.CodeAnalysis;

namespace SharedTask.Pooling;

/// <summary>
/// One thread's idle items of one type: the per-thread tier in front of that type's shared pool. Touched only by its
/// thread, so it needs no interlocked operation; what does not fit goes on to the shared pool.
/// </summary>
/// <remarks>
/// The items sit in an array of structs rather than of <typeparamref name="TItem"/>: this class runs as shared generic
/// code, where a store into a <c>TItem[]</c> would pay an array covariance check.
/// </remarks>
internal sealed class ThreadStack<TItem>(int capacity)
    where TItem : class
{
    private readonly Slot[] _items = new Slot[capacity];
    private int _count;

    internal bool TryPop([NotNullWhen(true)] out TItem? item)
    {
        int top = _count - 1;
        if ((uint)top < (uint)_items.Length)
        {
            item = _items[top].Item!;
            _items[top].Item = null;
            _count = top;
            return true;
        }

        item = null;
        return false;
    }

    internal bool TryPush(TItem item)
    {
        int count = _count;
        if ((uint)count < (uint)_items.Length)
        {
            _items[count].Item = item;
            _count = count + 1;
            return true;
        }

        return false;
    }

    private struct Slot
    {
        internal TItem? Item;
    }
}
