using System.Diagnostics.Metrics;

namespace SharedTask.Tests.Unit.Diagnostics;

/// <summary>
/// Listens to every instrument of the SharedTask meter, as dotnet-counters would, and reads them on demand: the latest
/// value of an observable instrument, or the total a plain counter reported since the reader started.
/// </summary>
internal sealed class SharedTaskMeterReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _values = [];

    public SharedTaskMeterReader()
    {
        // The meter is created when the library first counts something; make sure it exists before listening.
        new SimpleTaskCompletionSource<int>().Dispose();

        _listener.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == SharedTaskMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (_gate)
            {
                _values[instrument.Name] = instrument.IsObservable ? value : _values.GetValueOrDefault(instrument.Name) + value;
            }
        });
        _listener.Start();
    }

    /// <summary>Collects the observable instruments now and returns <paramref name="instrumentName"/>'s value.</summary>
    public long Read(string instrumentName)
    {
        _listener.RecordObservableInstruments();
        lock (_gate)
        {
            return _values.GetValueOrDefault(instrumentName);
        }
    }

    public void Dispose() => _listener.Dispose();
}
