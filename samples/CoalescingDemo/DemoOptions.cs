using System.Globalization;

namespace SharedTask.Samples.CoalescingDemo;

/// <summary>The demo's command-line options and their defaults (tuned to finish in well under 30 s on 2 cores).</summary>
internal sealed record DemoOptions
{
    public int Clients { get; init; } = 4_000;

    public int Keys { get; init; } = 8;

    public int LoadMilliseconds { get; init; } = 20;

    public double WarmupSeconds { get; init; } = 1;

    public double DurationSeconds { get; init; } = 5;

    public bool RunSingleFlight { get; init; } = true;

    public bool RunIdiom { get; init; } = true;

    public static string Usage =>
        """
        Usage: dotnet run -c Release --project samples/CoalescingDemo [-- options]

        Runs a simulated service (clients sending requests back to back over a few hot keys, each load taking real
        time) through SharedTask's SingleFlight and through the ConcurrentDictionary<TKey, Lazy<Task<TValue>>> idiom,
        then prints a side-by-side table.

        Options:
          --clients <n>       concurrent clients, each with one request in flight at a time   (default 4000)
          --keys <n>          hot keys the clients choose from uniformly                       (default 8)
          --load-ms <n>       how long each load takes (it awaits Task.Delay)                  (default 20)
          --warmup <s>        seconds of warm-up per side, not measured                        (default 1)
          --duration <s>      seconds measured per side                                        (default 5)
          --only <side>       run one side: singleflight or idiom                              (default both)
          -h, --help          show this help

        While it runs, watch the SharedTask meter from another terminal:
          dotnet-counters monitor -n CoalescingDemo --counters SharedTask
        """;

    /// <summary>Parses <paramref name="args"/>; null with <paramref name="error"/> set (or empty for --help) when it should not run.</summary>
    public static DemoOptions? Parse(string[] args, out string? error)
    {
        var options = new DemoOptions();
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help" or "-?")
            {
                error = string.Empty;
                return null;
            }

            if (i + 1 >= args.Length)
            {
                error = $"option {name} needs a value";
                return null;
            }

            string value = args[++i];
            options = name switch
            {
                "--clients" => options with { Clients = PositiveInt(name, value, ref error) },
                "--keys" => options with { Keys = PositiveInt(name, value, ref error) },
                "--load-ms" => options with { LoadMilliseconds = PositiveInt(name, value, ref error) },
                "--warmup" => options with { WarmupSeconds = Seconds(name, value, allowZero: true, ref error) },
                "--duration" => options with { DurationSeconds = Seconds(name, value, allowZero: false, ref error) },
                "--only" => value.ToUpperInvariant() switch
                {
                    "SINGLEFLIGHT" => options with { RunIdiom = false },
                    "IDIOM" => options with { RunSingleFlight = false },
                    _ => Invalid(options, $"--only takes singleflight or idiom, not '{value}'", ref error),
                },
                _ => Invalid(options, $"unknown option {name}", ref error),
            };

            if (error is not null)
            {
                return null;
            }
        }

        return options;
    }

    private static int PositiveInt(string name, string value, ref string? error)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) && number > 0)
        {
            return number;
        }

        error = $"{name} takes a positive whole number, not '{value}'";
        return 1;
    }

    private static double Seconds(string name, string value, bool allowZero, ref string? error)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            && (seconds > 0 || (allowZero && seconds == 0)) && seconds <= 3600)
        {
            return seconds;
        }

        error = $"{name} takes a number of seconds{(allowZero ? " (0 or more)" : " (more than 0)")}, not '{value}'";
        return 1;
    }

    private static DemoOptions Invalid(DemoOptions options, string message, ref string? error)
    {
        error = message;
        return options;
    }
}
