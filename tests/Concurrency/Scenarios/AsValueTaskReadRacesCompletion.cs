namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// A pending operation's ValueTask (from AsValueTask) is read too early, on one thread, while the operation completes on
/// another; a bystander turns a second operation into a ValueTask on a third thread and awaits it properly. The early
/// read throws InvalidOperationException (or gets the value, if completion came first) and leaves its pooled source to
/// its operation; the misuser then reads it once completed; the bystander gets its own value; every pooled source goes
/// back exactly once.
/// </summary>
#pragma warning disable CA2012 // The misuse under test: a ValueTask read before it completed, then read again.
internal sealed class AsValueTaskReadRacesCompletion : Scenario
{
    private volatile bool _completed;

    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> misused = own.NewSource<int>();
        SimpleTaskCompletionSource<int> bystander = own.NewSource<int>();
        ValueTask<int> early = own.Consuming(own.TaskOf(misused)).AsValueTask();
        context.Model.ExpectResumeWithAnyOf("early read", 1, Awaiters.Misuse);
        context.Model.ExpectResume("misuser's second read", 1);
        context.Model.ExpectResume("bystander", 2);

        context.Spawn("completer", () =>
        {
            misused.SetResult(1);
            _completed = true;
            own.Dispose(misused);
        });
        context.Spawn("bystander", () =>
        {
            ValueTask<int> proper = own.Consuming(own.TaskOf(bystander)).AsValueTask();
            bystander.SetResult(2);
            own.Dispose(bystander);
            context.Model.Resumed("bystander", proper.Result);
        });

        bool readEarly = ReadEarly(early, context);
        if (!readEarly)
        {
            context.WaitUntil(() => _completed, "the misused operation completed");
            context.Model.Resumed("misuser's second read", early.Result);
        }
        else
        {
            context.Model.Resumed("misuser's second read", 1);
        }
    }

    private static bool ReadEarly(ValueTask<int> early, IScenarioContext context)
    {
        try
        {
            context.Model.Resumed("early read", early.Result);
            return true;
        }
        catch (InvalidOperationException)
        {
            context.Model.Resumed("early read", Awaiters.Misuse);
            return false;
        }
    }
}
#pragma warning restore CA2012
