using System.Diagnostics;

namespace SharedTask.Samples.Comparison;

/// <summary>Waits out one phase of a run (warm-up, measuring) and writes a progress line at every whole second and at its end.</summary>
public static class PhaseTimer
{
    /// <summary>Waits <paramref name="seconds"/>, writing <paramref name="progressLine"/>(elapsed seconds) once a second.</summary>
    /// <param name="seconds">How long the phase lasts (0 returns at once, writing nothing).</param>
    /// <param name="progressLine">Describes the progress after the given number of seconds.</param>
    /// <param name="output">Where the lines go.</param>
    /// <returns>A task that completes when the phase is over.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seconds"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="progressLine"/> or <paramref name="output"/> is null.</exception>
    public static async Task RunAsync(double seconds, Func<double, string> progressLine, TextWriter output)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        ArgumentNullException.ThrowIfNull(progressLine);
        ArgumentNullException.ThrowIfNull(output);
        var phaseTime = Stopwatch.StartNew();
        int ticks = (int)Math.Ceiling(seconds);
        for (int tick = 1; tick <= ticks; tick++)
        {
            // Each wait is at least a millisecond, so a sub-millisecond remainder cannot turn this into a busy loop.
            TimeSpan target = TimeSpan.FromSeconds(Math.Min(tick, seconds));
            while (phaseTime.Elapsed < target)
            {
                TimeSpan wait = target - phaseTime.Elapsed;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(wait.TotalMilliseconds)))).ConfigureAwait(false);
            }

            await output.WriteLineAsync(progressLine(phaseTime.Elapsed.TotalSeconds)).ConfigureAwait(false);
        }
    }
}
