using SharedTask;

// Uses the package as a user would: shared awaits, a pointer copied to another thread, coalesced loads.
SimpleTask<int> load = LoadAsync(20);
SimpleTask<int> second = load.Share();
int a = await load;
int b = await second;

using PromisePtr<int> pointer = LoadAsync(1).ToPromisePtr();
PromisePtr<int> forWorker = pointer.Copy();
int c = await Task.Run(async () =>
{
    using PromisePtr<int> mine = forWorker;
    return await mine;
});

var flights = new SingleFlight<string, int>();
using var gate = new SimpleTaskCompletionSource<int>();
SimpleTask<int> first = flights.RunAsync("key", gate, static async (_, source, _) => await source.Task);
SimpleTask<int> joined = flights.RunAsync("key", gate, static async (_, source, _) => await source.Task + 1000);
gate.SetResult(7);
int d = await first + await joined; // the second caller joined the first load: 7 + 7

int[] expected = [21, 21, 2, 14];
int[] actual = [a, b, c, d];
if (!actual.SequenceEqual(expected))
{
    Console.Error.WriteLine($"smoke: expected {string.Join(", ", expected)}, got {string.Join(", ", actual)}");
    return 1;
}

Console.WriteLine("smoke: ok");
return 0;

static async SimpleTask<int> LoadAsync(int value)
{
    await Task.Yield();
    return value + 1;
}
