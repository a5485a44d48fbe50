using System.Runtime.ExceptionServices;

namespace SharedTask.Tests.Unit.Support;

/// <summary>Runs a function on a new thread with a chosen stack size and hands back its result or exception.</summary>
internal static class DedicatedThread
{
    public static T Run<T>(Func<T> body, int maxStackSize)
    {
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = body();
                }
                catch (Exception e)
                {
                    error = ExceptionDispatchInfo.Capture(e);
                }
            },
            maxStackSize);
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }
}
