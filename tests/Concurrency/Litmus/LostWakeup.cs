using SharedTask.Tests.Concurrency.Scenarios;

namespace SharedTask.Tests.Concurrency.Litmus;

/// <summary>
/// A waiter that checks a flag and then registers for a wake-up in two steps, without checking the flag again: a
/// signal that lands between the two is never delivered, and the waiter waits forever (the bug the library's
/// registration re-check prevents).
/// </summary>
internal sealed class LostWakeup : Scenario
{
    private bool _signaled;
    private bool _registered;
    private bool _woken;

    internal override void Run(IScenarioContext context)
    {
        context.Spawn("signaler", () =>
        {
            context.Yield("set flag");
            _signaled = true;
            context.Yield("read registration");
            if (_registered)
            {
                _woken = true;
            }
        });

        context.Yield("read flag");
        if (!_signaled)
        {
            context.Yield("register");
            _registered = true;
            context.WaitUntil(() => _woken, "woken by the signaler");
        }
    }
}
