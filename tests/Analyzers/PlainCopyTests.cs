using SharedTask.Analyzers.Tests.Support;
using Fix = SharedTask.Analyzers.Tests.Support.CodeFixVerifier<SharedTask.Analyzers.HandleFlowAnalyzer, SharedTask.Analyzers.CodeFixes.AddReferenceCodeFix>;
using Verify = SharedTask.Analyzers.Tests.Support.AnalyzerVerifier<SharedTask.Analyzers.HandleFlowAnalyzer>;

namespace SharedTask.Analyzers.Tests;

/// <summary>SHTASK003: a plain struct copy of a SimpleTask or PromisePtr released through both copies, and its fix.</summary>
public class PlainCopyTests
{
    [Fact]
    public async Task Consuming_a_task_and_its_plain_copy_is_reported_with_the_copy_as_additional_location()
    {
        await Verify.VerifyAsync(
            Snippet.Class("""
                static async Task M(SimpleTask<int> a)
                {
                    SimpleTask<int> b = {|#1:a|};
                    await a;
                    await {|#0:b|};
                }
            """),
            Verify.Diagnostic(DiagnosticIds.PlainCopyConsumedTwice).WithLocation(0).WithLocation(1).WithArguments("b", "a", "Share"));
    }

    [Fact]
    public async Task Disposing_a_pointer_and_its_plain_copy_is_reported()
    {
        await Verify.VerifyAsync(
            Snippet.Class("""
                static void M(PromisePtr<int> p)
                {
                    PromisePtr<int> q = {|#1:p|};
                    q.Dispose();
                    {|#0:p|}.Dispose();
                }
            """),
            Verify.Diagnostic(DiagnosticIds.PlainCopyConsumedTwice).WithLocation(0).WithLocation(1).WithArguments("p", "q", "Copy"));
    }

    [Fact]
    public async Task A_using_declaration_of_a_plain_copy_disposes_it_a_second_time()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M()
                {
                    PromisePtr p = MakeVoid().ToPromisePtr();
                    using PromisePtr {|SHTASK003:q = p|};
                    await q;
                    p.Dispose();
                }
            """));
    }

    [Fact]
    public async Task Moving_out_of_a_pointer_and_disposing_its_plain_copy_is_reported()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M(PromisePtr<int> p)
                {
                    PromisePtr<int> q = p;
                    await p.ToSimpleTask();
                    {|SHTASK003:q|}.Dispose();
                }
            """));
    }

    [Fact]
    public async Task Copies_that_took_their_own_reference_are_not_reported()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M(SimpleTask<int> a, PromisePtr<int> p)
                {
                    SimpleTask<int> b = a.Share();
                    await a;
                    await b;

                    PromisePtr<int> q = p.Copy();
                    p.Dispose();
                    await q;
                    q.Dispose();
                }
            """));
    }

    [Fact]
    public async Task A_plain_copy_released_through_one_variable_only_is_not_reported()
    {
        // README's hand-over: the copy goes to the code that disposes it, the original is never released again.
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M(SimpleTask<int> a, PromisePtr<int> p)
                {
                    SimpleTask<int> b = a;
                    bool done = a.IsCompleted;
                    await b;

                    using PromisePtr<int> mine = p;
                    await mine;
                }
            """));
    }

    [Fact]
    public async Task Fix_takes_the_task_copy_with_Share()
    {
        await Fix.VerifyAsync(
            Snippet.Class("""
                static async Task M(SimpleTask<int> a)
                {
                    var b = a;
                    await a;
                    await {|SHTASK003:b|};
                }
            """),
            Snippet.Class("""
                static async Task M(SimpleTask<int> a)
                {
                    var b = a.Share();
                    await a;
                    await b;
                }
            """));
    }

    [Fact]
    public async Task Fix_takes_the_pointer_copy_with_Copy()
    {
        await Fix.VerifyAsync(
            Snippet.Class("""
                static void M(PromisePtr<int> p)
                {
                    PromisePtr<int> q;
                    q = p;
                    p.Dispose();
                    {|SHTASK003:q|}.Dispose();
                }
            """),
            Snippet.Class("""
                static void M(PromisePtr<int> p)
                {
                    PromisePtr<int> q;
                    q = p.Copy();
                    p.Dispose();
                    q.Dispose();
                }
            """));
    }
}
