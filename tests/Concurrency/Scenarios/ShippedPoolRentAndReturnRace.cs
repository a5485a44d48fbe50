using Microsoft.Extensions.ObjectPool;

namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// The shipped pool itself (a per-thread stack in front of a shared pool, both one deep here so objects spill between
/// tiers): three logical threads, each on its own real thread, rent and return with a scheduling point between every
/// operation, returning objects rented elsewhere. No object may be held by two owners. The shared tier's internals run
/// between scheduling points, atomically as far as the engine sees (see README: limits).
/// </summary>
internal sealed class ShippedPoolRentAndReturnRace : Scenario
{
    private readonly HashSet<Item> _held = [];
    private ObjectPool<Item> _pool = null!;

    internal override void Run(IScenarioContext context)
    {
        _pool = new SimpleTaskPoolProvider { MaximumRetainedPerThread = 1, MaximumRetainedShared = 1 }
            .Create(new DefaultPooledObjectPolicy<Item>());
        Item handedOver = Rent(context);
        context.Spawn("renter 1", () => Cycle(context, handedOver));
        context.Spawn("renter 2", () => Cycle(context, Rent(context)));
        Cycle(context, Rent(context));
    }

    private void Cycle(IScenarioContext context, Item first)
    {
        Item second = Rent(context);
        Return(context, first);
        Item third = Rent(context);
        Return(context, second);
        Return(context, third);
    }

    private Item Rent(IScenarioContext context)
    {
        context.Yield("rent");
        Item item = _pool.Get();
        context.Model.Check(_held.Add(item), $"the shipped pool handed out item {item.Number} while another owner held it");
        return item;
    }

    private void Return(IScenarioContext context, Item item)
    {
        context.Yield("return");
        _held.Remove(item);
        _pool.Return(item);
    }

    private sealed class Item
    {
        private static int s_created;

        internal int Number { get; } = Interlocked.Increment(ref s_created);
    }
}
