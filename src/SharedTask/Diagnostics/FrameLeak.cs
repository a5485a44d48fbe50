using System.Diagnostics;
using System.Text;

namespace SharedTask;

/// <summary>
/// A report from leak tracking: a frame was garbage-collected while references to its use were still outstanding,
/// so it never went back to its pool. Some handle (a <see cref="SimpleTask{T}"/>, a <see cref="PromisePtr{T}"/>, a
/// completion source) was dropped without being awaited or disposed.
/// </summary>
/// <seealso cref="SharedTaskDiagnostics.EnableLeakTracking"/>
public sealed class FrameLeak
{
    internal FrameLeak(string operation, Type resultType, int outstandingReferences, StackTrace creationStackTrace)
    {
        Operation = operation;
        ResultType = resultType;
        OutstandingReferences = outstandingReferences;
        CreationStackTrace = creationStackTrace;
    }

    /// <summary>
    /// What the frame ran: for example <c>async method Program.LoadAsync</c>, <c>SimpleTaskCompletionSource&lt;Int32&gt;</c>
    /// or <c>SingleFlight load</c>.
    /// </summary>
    public string Operation { get; }

    /// <summary>The result type of the leaked operation (<c>SimpleTask&lt;T&gt;</c>'s <c>T</c>).</summary>
    public Type ResultType { get; }

    /// <summary>How many references were never released.</summary>
    public int OutstandingReferences { get; }

    /// <summary>
    /// The stack of the thread that started this use of the frame: an async method's first suspension, a completion
    /// source's construction, or the SingleFlight call that started a load or joined one. The leaked handle was
    /// given out from there.
    /// </summary>
    public StackTrace CreationStackTrace { get; }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("Leaked SharedTask frame: ").Append(Operation)
            .Append(" (").Append(OutstandingReferences).Append(OutstandingReferences == 1 ? " reference" : " references")
            .AppendLine(" never released). The use started at:")
            .Append(CreationStackTrace);
        return text.ToString();
    }
}
