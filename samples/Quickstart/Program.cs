// The README's quickstart, runnable: dotnet run -c Release --project samples/Quickstart
using SharedTask;

SimpleTask<string> load = LoadAsync(7);
SimpleTask<string> second = load.Share();  // +1 reference: a second awaiter
string a = await load;                     // each handle is awaited once, then released
string b = await second;
Console.WriteLine($"two awaiters of one load: {a}, {b}");

// To store a shared operation and await it many times, use a PromisePtr.
using (PromisePtr<string> ptr = LoadAsync(8).ToPromisePtr())
{
    PromisePtr<string> forOtherThread = ptr.Copy(); // +1: the other thread owns and disposes this copy
    Task other = Task.Run(async () =>
    {
        using PromisePtr<string> mine = forOtherThread;
        Console.WriteLine($"other thread: {await mine}");
    });
    string c = await ptr;                           // awaiting a pointer does not release it
    string d = await ptr;
    Console.WriteLine($"one pointer awaited twice: {c}, {d}");
    await other;
}

// Results from callbacks: a pooled completion source.
using (var source = new SimpleTaskCompletionSource<int>())
{
    SimpleTask<int> pending = source.Task;   // hand out as many handles as you like
    source.SetResult(42);                    // continuations run here, on this thread
    Console.WriteLine($"completion source: {await pending}");
}

// Misuse is an exception, never a wrong result (and a compile-time warning: SHTASK001, suppressed to show it).
try
{
#pragma warning disable SHTASK001 // deliberate: a second await of a consumed handle
    await load; // already consumed above: its frame went back to the pool
#pragma warning restore SHTASK001
}
catch (ObjectDisposedException e)
{
    Console.WriteLine($"awaiting a released handle: {e.GetType().Name}");
}

static async SimpleTask<string> LoadAsync(int id)
{
    await Task.Delay(10);               // awaits anything: Task, ValueTask, SimpleTask...
    return $"item {id}";
}
