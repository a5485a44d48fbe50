using System.Runtime.ExceptionServices;

namespace SharedTask.Combinators;

/// <summary>
/// The exceptions of a WhenAll's inputs, by input position, and the rule <see cref="Task.WhenAll(Task[])"/> applies to
/// them: faulted when any input faulted (with every fault, in input order), else canceled when any input was canceled
/// (with the first cancellation), else successful.
/// </summary>
/// <remarks>
/// Kept by a pooled frame across uses: the array grows to the largest input count seen and is cleared after each use.
/// Each slot is written by the one delivery of its input before that delivery counts down, and read by the decider
/// after the count reached zero.
/// </remarks>
internal struct InputFaults
{
    private ExceptionDispatchInfo?[] _byInput;

    /// <summary>Makes room for <paramref name="inputCount"/> inputs.</summary>
    internal void Prepare(int inputCount)
    {
        if (_byInput is null || _byInput.Length < inputCount)
        {
            _byInput = new ExceptionDispatchInfo?[inputCount];
        }
    }

    /// <summary>Records the exception of input <paramref name="index"/>.</summary>
    internal readonly void Record(int index, ExceptionDispatchInfo error) => _byInput[index] = error;

    /// <summary>
    /// The outcome's exception for the first <paramref name="inputCount"/> inputs, or null when none failed. Several
    /// faults are kept together in one <see cref="AggregateException"/>, in input order, so that none is lost.
    /// </summary>
    internal readonly ExceptionDispatchInfo? Outcome(int inputCount)
    {
        ExceptionDispatchInfo? firstFault = null;
        ExceptionDispatchInfo? firstCancellation = null;
        List<Exception>? faults = null;
        for (int i = 0; i < inputCount; i++)
        {
            switch (_byInput[i])
            {
                case null:
                    break;
                case { SourceException: OperationCanceledException } cancellation:
                    firstCancellation ??= cancellation;
                    break;
                case { } fault when firstFault is null:
                    firstFault = fault;
                    break;
                case { } fault:
                    (faults ??= [firstFault.SourceException]).Add(fault.SourceException);
                    break;
            }
        }

        if (faults is not null)
        {
            return ExceptionDispatchInfo.Capture(new AggregateException(faults));
        }

        return firstFault ?? firstCancellation;
    }

    /// <summary>Forgets the exceptions of the first <paramref name="inputCount"/> inputs (the end of a use).</summary>
    internal readonly void Clear(int inputCount)
    {
        if (_byInput is not null)
        {
            Array.Clear(_byInput, 0, inputCount);
        }
    }
}
