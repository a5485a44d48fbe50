using System.Reflection;
using System.Runtime.CompilerServices;
using SharedTask.Coalescing.Flights;
using SharedTask.Combinators;
using SharedTask.Combinators.Adapters;
using SharedTask.Frames;
using SharedTask.Pooling;
using SharedTask.Tests.Unit.Coalescing;

namespace SharedTask.Tests.Unit.Support;

/// <summary>
/// Creates, before any test runs, the pools of the types whose steady state the allocation tests measure, so that they
/// come from the default provider.
/// </summary>
/// <remarks>
/// A type's pool is created from whatever <see cref="SimpleTaskPool.Provider"/> is the first time the type is used, and
/// <see cref="CountingPoolProvider.InstallFor"/> swaps that process-wide provider for a moment while tests run in
/// parallel. A pool first created by another test inside that moment is a counting pool: no per-thread tier, and a list
/// that grows with every return, which an allocation test then measures (16 to 20 bytes per operation, now and then).
/// </remarks>
internal static class MeasuredPools
{
    /// <summary>Test classes whose async methods' frames are measured: their state machines' pools are created here too.</summary>
    private static readonly Type[] s_measuredMethodOwners = [typeof(Pooling.AllocationTests), typeof(CoalescingAllocationTests)];

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Usage", "CA2255", Justification = "The pools must exist before the first test can open an InstallFor window.")]
    internal static void CreateBeforeAnyTest()
    {
        // Reading ThreadCapacity runs Pool<T>'s type initializer, which creates the pool from the current provider.
        _ = Pool<SourceFrame<int>>.ThreadCapacity;
        _ = Pool<SourceFrame<long>>.ThreadCapacity;
        _ = Pool<ActionWaiter>.ThreadCapacity;
        _ = Pool<ValueTaskSourceWaiter<int>>.ThreadCapacity;
        _ = Pool<InputWaiter<int>>.ThreadCapacity;
        _ = Pool<InputWaiter<long>>.ThreadCapacity;
        _ = Pool<WhenAllPairFrame<int, long>>.ThreadCapacity;
        _ = Pool<WhenAnyValueFrame<int>>.ThreadCapacity;
        _ = Pool<WaitFrame<int>>.ThreadCapacity;
        _ = Pool<ValueTaskFrame<int>>.ThreadCapacity;
        _ = Pool<FlightFrame<string, int>>.ThreadCapacity;
        _ = Pool<CallerFrame<string, int>>.ThreadCapacity;
        foreach (Type owner in s_measuredMethodOwners)
        {
            CreateStateMachinePools(owner);
        }
    }

    /// <summary>Creates the frame pool of every SimpleTask&lt;T&gt; async method declared in <paramref name="owner"/>.</summary>
    private static void CreateStateMachinePools(Type owner)
    {
        foreach (Type nested in owner.GetNestedTypes(BindingFlags.NonPublic))
        {
            if (!typeof(IAsyncStateMachine).IsAssignableFrom(nested)
                || nested.GetField("<>t__builder") is not { FieldType: { IsGenericType: true } builder }
                || builder.GetGenericTypeDefinition() != typeof(SimpleTaskMethodBuilder<>))
            {
                continue;
            }

            Type frame = typeof(StateMachineFrame<,>).MakeGenericType(nested, builder.GetGenericArguments()[0]);
            RuntimeHelpers.RunClassConstructor(typeof(Pool<>).MakeGenericType(frame).TypeHandle);
        }
    }
}
