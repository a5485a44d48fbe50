using SharedTask.Scheduling;

namespace SharedTask.Testing.Coyote;

/// <summary>
/// Puts SharedTask's own concurrency under Microsoft Coyote in a user's Coyote tests. Once connected, every shared-state
/// operation SharedTask performs on a thread Coyote controls (a reference-count change, a waiter registration or
/// completion, a pool rent or return) is a Coyote scheduling point, and every continuation SharedTask would hand to the
/// thread pool from such a thread runs as a controlled task instead. Coyote then explores, and replays, the
/// interleavings inside SharedTask that a user's check-then-act bug may depend on.
/// </summary>
/// <remarks>
/// Referencing the SharedTask.Testing.Coyote package turns SharedTask's scheduling seam on in the test project (its
/// build files set the switch in the runtime configuration); <see cref="Connect"/> then hands the seam to Coyote. Calls
/// from threads Coyote does not control pass straight through, so tests that do not use Coyote run as usual. A project
/// that does not reference the package keeps the seam off, and its calls compile away.
/// </remarks>
public static class SharedTaskCoyote
{
    /// <summary>
    /// Connects SharedTask's scheduling seam to Coyote for the rest of the process (or until <see cref="Disconnect"/>).
    /// Call it once before running Coyote tests, for example first thing in the test method; calling it again does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The seam is off in this process (the package's build files did not reach the test project's runtime
    /// configuration), or another scheduling observer is connected.
    /// </exception>
    public static void Connect()
    {
        if (!SchedulingSeam.IsEnabled)
        {
            throw new InvalidOperationException(
                "SharedTask's scheduling seam is off in this process, so Coyote cannot see SharedTask's operations. Reference the " +
                "SharedTask.Testing.Coyote package from the test project itself (its build files set the runtime option " +
                $"'{SchedulingSeam.SwitchName}' in the project's runtimeconfig.json), then rebuild.");
        }

        ISchedulingSeamObserver? current = SchedulingSeam.Observer;
        if (current is CoyoteSchedulingObserver)
        {
            return;
        }

        if (current is not null)
        {
            throw new InvalidOperationException(
                $"Another scheduling observer ({current.GetType().FullName}) is connected to SharedTask's seam; disconnect it first.");
        }

        SchedulingSeam.Observer = CoyoteSchedulingObserver.Instance;
    }

    /// <summary>Disconnects Coyote from SharedTask's scheduling seam (SharedTask's operations are no longer scheduling points).</summary>
    public static void Disconnect()
    {
        if (SchedulingSeam.IsEnabled && SchedulingSeam.Observer is CoyoteSchedulingObserver)
        {
            SchedulingSeam.Observer = null;
        }
    }

    /// <summary>Whether SharedTask's scheduling seam is connected to Coyote in this process.</summary>
    public static bool IsConnected => SchedulingSeam.IsEnabled && SchedulingSeam.Observer is CoyoteSchedulingObserver;
}
