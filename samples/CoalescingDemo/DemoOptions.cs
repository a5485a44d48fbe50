using SharedTask.Samples.Comparison;

namespace SharedTask.Samples.CoalescingDemo;

/// <summary>The demo's command-line options and their defaults (tuned to finish in about half a minute on 2 cores).</summary>
internal sealed record DemoOptions
{
    /// <summary>The sides <c>--only</c> can name, in the order they run.</summary>
    public static IReadOnlyList<string> SideIds { get; } =
        ["singleflight", "idiom", "hybridcache-nocache", "singleflight-memorycache", "hybridcache", "fusioncache"];

    public int Clients { get; init; } = 4_000;

    public int Keys { get; init; } = 8;

    public int LoadMilliseconds { get; init; } = 20;

    public int CacheMilliseconds { get; init; } = 100;

    public double WarmupSeconds { get; init; } = 1;

    public double DurationSeconds { get; init; } = 3;

    /// <summary>The sides to run (ids from <see cref="SideIds"/>).</summary>
    public IReadOnlySet<string> Sides { get; init; } = new HashSet<string>(SideIds, StringComparer.Ordinal);

    public TimeSpan CacheDuration => TimeSpan.FromMilliseconds(CacheMilliseconds);

    public static string Usage =>
        """
        Usage: dotnet run -c Release --project samples/CoalescingDemo [-- options]

        Runs a simulated service (clients sending requests back to back over a few hot keys, each load taking real
        time) through six ways of coalescing its loads, on the same clients, keys and load body, then prints the
        results side by side, with what each does when the callers of a load cancel.

          nothing cached (coalescing only):
            singleflight               SharedTask's SingleFlight
            idiom                      ConcurrentDictionary<TKey, Lazy<Task<TValue>>>
            hybridcache-nocache        HybridCache.GetOrCreateAsync with its local and distributed caches disabled
          results cached for --cache-ms (like for like):
            singleflight-memorycache   SingleFlight in front of a MemoryCache
            hybridcache                HybridCache.GetOrCreateAsync, local cache (a MemoryCache)
            fusioncache                FusionCache.GetOrSetAsync (a MemoryCache)

        Options:
          --clients <n>       concurrent clients, each with one request in flight at a time   (default 4000)
          --keys <n>          hot keys the clients choose from uniformly                       (default 8)
          --load-ms <n>       how long each load takes (it awaits Task.Delay)                  (default 20)
          --cache-ms <n>      how long the caching sides keep a loaded value                   (default 100)
          --warmup <s>        seconds of warm-up per side, not measured                        (default 1)
          --duration <s>      seconds measured per side                                        (default 3)
          --only <ids>        run only these sides, comma-separated ids from the list above    (default all)
          -h, --help          show this help

        While it runs, watch the SharedTask meter from another terminal:
          dotnet-counters monitor -n CoalescingDemo --counters SharedTask
        """;

    /// <summary>Parses <paramref name="args"/>; null with <paramref name="error"/> set (or empty for --help) when it should not run.</summary>
    public static DemoOptions? Parse(string[] args, out string? error) => CommandLine.Parse(args, new DemoOptions(), Set, out error);

    private static DemoOptions Set(DemoOptions options, string name, string value, ref string? error) => name switch
    {
        "--clients" => options with { Clients = CommandLine.PositiveInt(name, value, ref error) },
        "--keys" => options with { Keys = CommandLine.PositiveInt(name, value, ref error) },
        "--load-ms" => options with { LoadMilliseconds = CommandLine.PositiveInt(name, value, ref error) },
        "--cache-ms" => options with { CacheMilliseconds = CommandLine.PositiveInt(name, value, ref error) },
        "--warmup" => options with { WarmupSeconds = CommandLine.Seconds(name, value, allowZero: true, ref error) },
        "--duration" => options with { DurationSeconds = CommandLine.Seconds(name, value, allowZero: false, ref error) },
        "--only" => options with { Sides = SideList(value, ref error) },
        _ => CommandLine.Invalid(options, $"unknown option {name}", ref error),
    };

    private static HashSet<string> SideList(string value, ref string? error)
    {
        var sides = new HashSet<string>(StringComparer.Ordinal);
        foreach (string id in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string normalized = id.ToLowerInvariant();
            if (!SideIds.Contains(normalized))
            {
                error = $"--only takes side ids from: {string.Join(", ", SideIds)}; not '{id}'";
                return sides;
            }

            sides.Add(normalized);
        }

        if (sides.Count == 0)
        {
            error = "--only needs at least one side id";
        }

        return sides;
    }
}
