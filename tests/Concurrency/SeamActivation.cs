using System.Runtime.CompilerServices;
using SharedTask.Scheduling;
using SharedTask.Tests.Concurrency.Engine;

namespace SharedTask.Tests.Concurrency;

/// <summary>
/// Turns the library's scheduling seam on for this process and installs the test pool provider. Both must happen
/// before any SharedTask type initializes: the seam's switch is read once into a static readonly field, and every frame
/// type takes its pool from the provider the first time it is used.
/// </summary>
internal static class SeamActivation
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Usage", "CA2255", Justification = "The switch must be set before the library's first use; that is this initializer's job.")]
    internal static void EnableBeforeFirstUse()
    {
        // SwitchName is a const: reading it does not initialize SchedulingSeam.
        AppContext.SetSwitch(SchedulingSeam.SwitchName, true);
        SimpleTaskPool.Provider = ScenarioPoolProvider.Instance;
    }
}
