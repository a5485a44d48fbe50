using SharedTask.Samples.Comparison;
using SharedTask.Samples.CatalogService.Catalog;

namespace SharedTask.Samples.CatalogService.Load;

/// <summary>The load mode's command-line options and their defaults (about 45 s in all on 2 cores).</summary>
internal sealed record LoadOptions
{
    /// <summary>The first argument that selects the load mode.</summary>
    public const string Verb = "load";

    public int Clients { get; init; } = 256;

    public int Keys { get; init; } = 8;

    public int StoreDelayMilliseconds { get; init; } = 20;

    public double WarmupSeconds { get; init; } = 2;

    public double DurationSeconds { get; init; } = 4;

    public IReadOnlyList<CatalogBackend> Backends { get; init; } = [CatalogBackend.SingleFlight, CatalogBackend.HybridCache, CatalogBackend.Idiom];

    public static string Usage =>
        """
        Usage: dotnet run -c Release --project samples/CatalogService -- load [options]

        Starts the catalog service for each back end (SingleFlight, HybridCache, Idiom), each time in its own process on a
        loopback port, drives GET /products/{id} from this process with many concurrent HTTP clients, reads the service's
        own allocation, CPU and load counts from GET /stats, and prints the back ends side by side. Every back end is
        measured twice, in the order given and then reversed, and the two windows are added up.

        Options:
          --clients <n>       concurrent HTTP clients, each with one request in flight at a time  (default 256)
          --keys <n>          product ids the clients choose from uniformly                       (default 8)
          --store-ms <n>      how long the service's store takes per load                         (default 20)
          --warmup <s>        seconds of warm-up per back end, not measured                       (default 2)
          --duration <s>      seconds measured per back end, in two halves (A B C C B A)        (default 4)
          --only <list>       back ends to run, comma-separated, from singleflight, hybridcache,
                              idiom and singleflightthenyield          (default singleflight,hybridcache,idiom)
          -h, --help          show this help
        """;

    /// <summary>Parses <paramref name="args"/>; null with <paramref name="error"/> set (or empty for --help) when it should not run.</summary>
    public static LoadOptions? Parse(string[] args, out string? error) => CommandLine.Parse(args, new LoadOptions(), Set, out error);

    private static LoadOptions Set(LoadOptions options, string name, string value, ref string? error) => name switch
    {
        "--clients" => options with { Clients = CommandLine.PositiveInt(name, value, ref error) },
        "--keys" => options with { Keys = CommandLine.PositiveInt(name, value, ref error) },
        "--store-ms" => options with { StoreDelayMilliseconds = CommandLine.PositiveInt(name, value, ref error) },
        "--warmup" => options with { WarmupSeconds = CommandLine.Seconds(name, value, allowZero: true, ref error) },
        "--duration" => options with { DurationSeconds = CommandLine.Seconds(name, value, allowZero: false, ref error) },
        "--only" => options with { Backends = BackendList(value, ref error) },
        _ => CommandLine.Invalid(options, $"unknown option {name}", ref error),
    };

    private static List<CatalogBackend> BackendList(string value, ref string? error)
    {
        var backends = new List<CatalogBackend>();
        foreach (string name in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Enum.TryParse(name, ignoreCase: true, out CatalogBackend backend) || !Enum.IsDefined(backend))
            {
                error = $"--only takes singleflight, singleflightthenyield, hybridcache or idiom, not '{name}'";
                return backends;
            }

            if (!backends.Contains(backend))
            {
                backends.Add(backend);
            }
        }

        if (backends.Count == 0)
        {
            error = "--only needs at least one back end";
        }

        return backends;
    }
}
