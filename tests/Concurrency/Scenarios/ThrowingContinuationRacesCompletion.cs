namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// A foreign continuation that throws when the completer runs it is registered on one thread while the source is
/// completed and disposed on another, beside a second awaiter. Whatever the continuation throws reaches the completer;
/// the second awaiter still resumes; every reference is released and every frame returns once, so nothing is leaked by
/// the exception.
/// </summary>
internal sealed class ThrowingContinuationRacesCompletion : Scenario
{
    [ThreadStatic]
    private static bool t_completing;

    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> source = own.NewSource<int>();
        SimpleTask<int> thrower = own.TaskOf(source);
        SimpleTask<int> other = own.TaskOf(source);
        context.Model.ExpectResume("throwing continuation", 3);
        context.Model.ExpectResume("other awaiter", 3);

        context.Spawn("completer", () =>
        {
            t_completing = true;
            try
            {
                source.SetResult(3);
            }
            catch (InvalidOperationException exception) when (exception.Message == "continuation failed")
            {
                // What the throwing continuation threw, surfaced to the completer after every waiter ran.
            }
            finally
            {
                t_completing = false;
            }

            own.Dispose(source);
        });
        context.Spawn("other awaiter", () => own.Dispose(own.Took(Awaiters.Record(own.Consuming(other), "other awaiter", context.Model))));

        SimpleTask<int>.Awaiter awaiter = own.Consuming(thrower).GetAwaiter();
        awaiter.UnsafeOnCompleted(() =>
        {
            context.Model.Resumed("throwing continuation", awaiter.GetResult());
            if (t_completing)
            {
                throw new InvalidOperationException("continuation failed");
            }
        });
    }
}
