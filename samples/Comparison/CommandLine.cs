using System.Globalization;

namespace SharedTask.Samples.Comparison;

/// <summary>The samples' command lines: <c>--name value</c> pairs and <c>--help</c>, with values checked as they are read.</summary>
public static class CommandLine
{
    /// <summary>
    /// Applies every <c>--name value</c> pair of <paramref name="args"/> to <paramref name="defaults"/> through
    /// <paramref name="set"/>; null with <paramref name="error"/> set (or empty for <c>--help</c>) when the program should not run.
    /// </summary>
    /// <typeparam name="TOptions">The options record.</typeparam>
    /// <param name="args">The arguments.</param>
    /// <param name="defaults">The options before any argument.</param>
    /// <param name="set">Applies one option.</param>
    /// <param name="error">Null when parsing succeeded; empty for <c>--help</c>; otherwise what is wrong.</param>
    /// <returns>The options, or null.</returns>
    public static TOptions? Parse<TOptions>(IReadOnlyList<string> args, TOptions defaults, OptionSetter<TOptions> set, out string? error)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(set);
        TOptions options = defaults;
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help" or "-?")
            {
                error = string.Empty;
                return null;
            }

            if (i + 1 >= args.Count)
            {
                error = $"option {name} needs a value";
                return null;
            }

            options = set(options, name, args[++i], ref error);
            if (error is not null)
            {
                return null;
            }
        }

        return options;
    }

    /// <summary>Reads a whole number greater than zero.</summary>
    /// <param name="name">The option, for the message.</param>
    /// <param name="value">The value as typed.</param>
    /// <param name="error">Set when the value is not valid.</param>
    /// <returns>The number (1 when not valid).</returns>
    public static int PositiveInt(string name, string value, ref string? error)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) && number > 0)
        {
            return number;
        }

        error = $"{name} takes a positive whole number, not '{value}'";
        return 1;
    }

    /// <summary>Reads a number of seconds, at most an hour.</summary>
    /// <param name="name">The option, for the message.</param>
    /// <param name="value">The value as typed.</param>
    /// <param name="allowZero">Whether 0 is valid.</param>
    /// <param name="error">Set when the value is not valid.</param>
    /// <returns>The seconds (1 when not valid).</returns>
    public static double Seconds(string name, string value, bool allowZero, ref string? error)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            && (seconds > 0 || (allowZero && seconds == 0)) && seconds <= 3600)
        {
            return seconds;
        }

        error = $"{name} takes a number of seconds{(allowZero ? " (0 or more)" : " (more than 0)")}, not '{value}'";
        return 1;
    }

    /// <summary>Reports an option that is not valid.</summary>
    /// <typeparam name="TOptions">The options record.</typeparam>
    /// <param name="options">Returned unchanged.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="error">Set to <paramref name="message"/>.</param>
    /// <returns><paramref name="options"/>.</returns>
    public static TOptions Invalid<TOptions>(TOptions options, string message, ref string? error)
    {
        error = message;
        return options;
    }
}
