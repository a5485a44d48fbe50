using System.Diagnostics.Metrics;

namespace SharedTask.Samples.CoalescingDemo;

/// <summary>
/// Reads the SharedTask meter in process, the way dotnet-counters reads it from outside: a
/// <see cref="MeterListener"/> enabling every instrument of the meter named <see cref="SharedTaskMetrics.MeterName"/>.
/// </summary>
internal sealed class SharedTaskMeterWatch : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _values = [];
    private readonly Lock _gate = new();

    public SharedTaskMeterWatch()
    {
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

    /// <summary>Collects now and returns the instrument's value (counts start when this watch started).</summary>
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
