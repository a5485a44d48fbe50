using SharedTask.Analyzers.Tests.Support;
using Verify = SharedTask.Analyzers.Tests.Support.AnalyzerVerifier<SharedTask.Analyzers.HandleFlowAnalyzer>;

namespace SharedTask.Analyzers.Tests;

/// <summary>SHTASK004: a PromisePtr used after it was disposed or moved out on some path (no mechanical fix).</summary>
public class PointerUsedAfterReleaseTests
{
    [Theory]
    [InlineData("await {|SHTASK004:p|};")]
    [InlineData("await {|SHTASK004:p|}.ConfigureAwait(false);")]
    [InlineData("int r = {|SHTASK004:p|}.GetAwaiter().GetResult();")]
    [InlineData("using PromisePtr<int> copy = {|SHTASK004:p|}.Copy();")]
    [InlineData("await {|SHTASK004:p|}.ShareTask();")]
    [InlineData("bool done = {|SHTASK004:p|}.IsCompleted;")]
    [InlineData("await {|SHTASK004:p|}.ToSimpleTask();")]
    public async Task A_use_after_Dispose_is_reported(string use)
    {
        await Verify.VerifyAsync(Snippet.Class($$"""
                static async Task M(PromisePtr<int> p)
                {
                    p.Dispose();
                    {{use}}
                }
            """));
    }

    [Fact]
    public async Task The_message_says_the_pointer_was_moved_out_and_where()
    {
        await Verify.VerifyAsync(
            Snippet.Class("""
                static async Task M(PromisePtr<int> p)
                {
                    SimpleTask<int> moved = {|#1:p|}.ToSimpleTask();
                    await {|#0:p|};
                    await moved;
                }
            """),
            Verify.Diagnostic(DiagnosticIds.PointerUsedAfterRelease).WithLocation(0).WithLocation(1)
                .WithArguments("p", "moved out with ToSimpleTask()", 16));
    }

    [Fact]
    public async Task A_Dispose_on_one_branch_is_reported_at_the_await_after_the_branches()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M()
                {
                    PromisePtr p = MakeVoid().ToPromisePtr();
                    if (Flag)
                    {
                        p.Dispose();
                    }

                    await {|SHTASK004:p|};
                    p.Dispose();
                }
            """));
    }

    [Fact]
    public async Task Awaiting_before_Dispose_and_disposing_twice_are_not_reported()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M(PromisePtr<int> p, PromisePtr<int> other)
                {
                    await p;
                    await p;
                    p.Dispose();
                    p.Dispose();
                    bool isNull = p.IsNull;
                    string text = p.ToString();

                    p = other.Copy();
                    await p;
                    p.Dispose();

                    using (PromisePtr<int> scoped = Make().ToPromisePtr())
                    {
                        await scoped;
                    }
                }
            """));
    }

    [Fact]
    public async Task A_pointer_passed_by_value_is_borrowed_not_released()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task<int> Read(PromisePtr<int> borrowed) => await borrowed;

                static async Task M(PromisePtr<int> p)
                {
                    await Read(p);
                    await Read(p);
                    await p;
                    p.Dispose();
                }
            """));
    }
}
