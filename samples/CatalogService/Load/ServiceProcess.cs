using System.Diagnostics;
using SharedTask.Samples.CatalogService.Catalog;

namespace SharedTask.Samples.CatalogService.Load;

/// <summary>
/// One catalog service in its own process (this same program without the <c>load</c> verb), listening on a loopback port
/// Kestrel chooses, so that its allocation and CPU counts are its own and not the load clients'. Disposing it ends it.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>Where the service listens, for example <c>http://127.0.0.1:41235/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts a service for <paramref name="backend"/> and waits until it listens.</summary>
    /// <exception cref="InvalidOperationException">The service exited, or did not listen within a minute.</exception>
    public static async Task<ServiceProcess> StartAsync(CatalogBackend backend, int storeDelayMilliseconds, TextWriter output)
    {
        string host = Environment.ProcessPath
            ?? throw new InvalidOperationException("The load mode cannot tell which program to start: Environment.ProcessPath is null.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            // Run as "dotnet CatalogService.dll": the host needs the assembly's path first.
            start.ArgumentList.Add(typeof(ServiceProcess).Assembly.Location);
        }

        foreach (string argument in (string[])[
            "--urls", "http://127.0.0.1:0",
            $"--{CatalogOptions.SectionName}:{nameof(CatalogOptions.Backend)}={backend}",
            $"--{CatalogOptions.SectionName}:{nameof(CatalogOptions.StoreDelayMilliseconds)}={storeDelayMilliseconds}",
            "--Logging:LogLevel:Default=Warning"])
        {
            start.ArgumentList.Add(argument);
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) => OnOutputLine(line.Data, listening, output);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
            $"The catalog service ({backend}) exited with code {process.ExitCode} before it listened."));
        process.Start();
        process.BeginOutputReadLine();
        try
        {
            Uri address = await listening.Task.WaitAsync(StartTimeout);
            return new ServiceProcess(process, address);
        }
        catch (TimeoutException)
        {
            End(process);
            throw new InvalidOperationException($"The catalog service ({backend}) did not listen within {StartTimeout.TotalSeconds} s.");
        }
        catch
        {
            End(process);
            throw;
        }
    }

    public void Dispose() => End(_process);

    private static void OnOutputLine(string? line, TaskCompletionSource<Uri> listening, TextWriter output)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith(CatalogApp.ListeningLinePrefix, StringComparison.Ordinal))
        {
            // "CatalogService listening on http://127.0.0.1:41235 (back end: SingleFlight)"
            string address = line[CatalogApp.ListeningLinePrefix.Length..].Split(' ')[0];
            listening.TrySetResult(new Uri(address));
            return;
        }

        output.WriteLine($"  [service] {line}");
    }

    private static void End(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }
}
