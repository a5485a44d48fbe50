using Microsoft.CodeAnalysis;

namespace SharedTask.Analyzers;

/// <summary>The descriptors of SharedTask's diagnostics: title, message, and the help text IDEs show beside them.</summary>
internal static class SharedTaskRules
{
    private const string Category = "Reliability";

    internal static readonly DiagnosticDescriptor ConsumedMoreThanOnce = new(
        DiagnosticIds.ConsumedMoreThanOnce,
        title: "SimpleTask consumed more than once",
        messageFormat: "'{0}' is consumed more than once on some path (already consumed at line {1}); a SimpleTask handle is consumed exactly once, so give each extra consumer its own handle with Share()",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A SimpleTask or SimpleTask<T> owns one reference to its operation's frame, and the first consumption " +
            "(await, AsTask(), AsValueTask(), Dispose(), ToPromisePtr(), or passing it to a SimpleTask parameter, which moves " +
            "it to the callee) releases that reference. A second consumption of the same handle throws ObjectDisposedException " +
            "once the frame was released, or, while another owner keeps the frame alive, releases that owner's reference. " +
            "Fix: call Share() for every additional consumer (each Share() is consumed once), or move the task into a " +
            "PromisePtr with ToPromisePtr() and await the pointer any number of times.");

    internal static readonly DiagnosticDescriptor ResultDiscarded = new(
        DiagnosticIds.ResultDiscarded,
        title: "SimpleTask result discarded",
        messageFormat: "The SimpleTask returned by '{0}' is discarded; await it, store, return or pass it on, or Dispose() it, or its frame never goes back to the pool",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A SimpleTask returned by a call owns a reference to a pooled frame. Dropping it (an expression " +
            "statement, a discard '_ =', or keeping only a Share() or a property of it) leaves that reference unreleased: " +
            "the frame never returns to its pool and the operation's outcome, an exception included, is never observed. " +
            "Fix: await it, or call Dispose() to release it without waiting (fire and forget).");

    internal static readonly DiagnosticDescriptor PlainCopyConsumedTwice = new(
        DiagnosticIds.PlainCopyConsumedTwice,
        title: "Plain copy of a SimpleTask or PromisePtr released twice",
        messageFormat: "'{0}' and '{1}' share one reference through a plain struct copy, and both release it on some path; give the copy its own reference with {2}()",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Assigning a SimpleTask or PromisePtr to another variable copies the struct, not the reference: both " +
            "variables own the same single reference. When both are then consumed (SimpleTask: await, AsTask(), " +
            "AsValueTask(), Dispose(), ToPromisePtr(), a move) or released (PromisePtr: Dispose(), ToSimpleTask()), the " +
            "reference is released twice: an ObjectDisposedException, or another owner's reference silently released. " +
            "Fix: take the copy with Share() (SimpleTask) or Copy() (PromisePtr), which adds a reference.");

    internal static readonly DiagnosticDescriptor PointerUsedAfterRelease = new(
        DiagnosticIds.PointerUsedAfterRelease,
        title: "PromisePtr used after Dispose or ToSimpleTask",
        messageFormat: "'{0}' is used after it was {1} on some path (line {2}); the pointer is null there and this throws InvalidOperationException",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "PromisePtr.Dispose() and PromisePtr.ToSimpleTask() release or move out the pointer's reference and " +
            "make the variable null. Awaiting it afterwards (or Copy(), ShareTask(), ConfigureAwait(), GetAwaiter(), " +
            "IsCompleted and the other Is* properties, another ToSimpleTask()) throws InvalidOperationException. " +
            "Fix: await before disposing, or take a Copy() first for the code that still needs the pointer.");
}
