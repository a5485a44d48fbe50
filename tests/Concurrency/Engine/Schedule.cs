using System.Globalization;
using System.Text;

namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// A replayable schedule: the thread chosen at every decision (a scheduling point where more than one logical thread
/// could run), by id. Written as <c>1:</c> followed by dot-separated runs, <c>id</c> or <c>id*count</c>: "1:0*12.1.0*3"
/// means thread 0 twelve times, thread 1 once, thread 0 three times. Scheduling points with one runnable thread are not
/// decisions and are not written, so the string is short and independent of the strategy that produced it.
/// </summary>
internal static class Schedule
{
    private const string Version = "1:";

    internal static string Format(IReadOnlyList<int> decisions)
    {
        var text = new StringBuilder(Version);
        for (int i = 0; i < decisions.Count;)
        {
            int run = 1;
            while (i + run < decisions.Count && decisions[i + run] == decisions[i])
            {
                run++;
            }

            if (i > 0)
            {
                text.Append('.');
            }

            text.Append(decisions[i].ToString(CultureInfo.InvariantCulture));
            if (run > 1)
            {
                text.Append('*').Append(run.ToString(CultureInfo.InvariantCulture));
            }

            i += run;
        }

        return text.ToString();
    }

    internal static List<int> Parse(string schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (!schedule.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new FormatException($"A schedule string starts with '{Version}'; got '{schedule}'.");
        }

        var decisions = new List<int>();
        string body = schedule[Version.Length..];
        if (body.Length == 0)
        {
            return decisions;
        }

        foreach (string run in body.Split('.'))
        {
            string[] parts = run.Split('*');
            int id = int.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture);
            int count = parts.Length > 1 ? int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture) : 1;
            if (parts.Length > 2 || count < 1)
            {
                throw new FormatException($"'{run}' in schedule '{schedule}' is not 'id' or 'id*count'.");
            }

            decisions.AddRange(Enumerable.Repeat(id, count));
        }

        return decisions;
    }
}
