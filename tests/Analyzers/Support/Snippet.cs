namespace SharedTask.Analyzers.Tests.Support;

/// <summary>Wraps statements in a class with the helpers the tests' snippets use.</summary>
internal static class Snippet
{
    /// <summary>
    /// A compilable file: <paramref name="members"/> inside class <c>C</c>, which has <c>Make()</c>/<c>MakeVoid()</c>
    /// (fresh SimpleTasks), <c>Take</c> (takes ownership), <c>Peek</c> (borrows with <c>in</c>) and <c>Flag</c>.
    /// </summary>
    internal static string Class(string members) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using SharedTask;

        class C
        {
            static bool Flag => DateTime.Now.Ticks % 2 == 0;
            static SimpleTask<int> Make() => new SimpleTask<int>(1);
            static SimpleTask MakeVoid() => SimpleTask.CompletedTask;
            static void Take(SimpleTask<int> task) => task.Dispose();
            static bool Peek(in SimpleTask<int> task) => task.IsCompleted;

        {{members}}
        }
        """;
}
