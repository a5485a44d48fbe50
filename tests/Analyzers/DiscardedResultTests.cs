using SharedTask.Analyzers.Tests.Support;
using Fix = SharedTask.Analyzers.Tests.Support.CodeFixVerifier<SharedTask.Analyzers.SimpleTaskDiscardedAnalyzer, SharedTask.Analyzers.CodeFixes.DiscardedSimpleTaskCodeFix>;
using Verify = SharedTask.Analyzers.Tests.Support.AnalyzerVerifier<SharedTask.Analyzers.SimpleTaskDiscardedAnalyzer>;

namespace SharedTask.Analyzers.Tests;

/// <summary>SHTASK002: a SimpleTask returned by a call and dropped, and its fixes (await, Dispose).</summary>
public class DiscardedResultTests
{
    [Theory]
    [InlineData("{|SHTASK002:Make()|};")]
    [InlineData("{|SHTASK002:MakeVoid()|};")]
    [InlineData("_ = {|SHTASK002:Make()|};")]
    [InlineData("SimpleTask<int> onlyTheShare = {|SHTASK002:Make()|}.Share(); onlyTheShare.Dispose();")]
    [InlineData("bool done = {|SHTASK002:Make()|}.IsCompleted;")]
    [InlineData("string text = {|SHTASK002:Make()|}.ToString();")]
    [InlineData("Holder? holder = null; holder?{|SHTASK002:.Make()|};")]
    [InlineData("var source = new SimpleTaskCompletionSource<int>(); _ = {|SHTASK002:source.Task|}; source.Dispose();")]
    public async Task A_dropped_handle_is_reported(string statement)
    {
        await Verify.VerifyAsync(WithHolder($$"""
                static void M()
                {
                    {{statement}}
                }
            """));
    }

    [Fact]
    public async Task The_message_names_the_call()
    {
        await Verify.VerifyAsync(
            WithHolder("""
                static void M() => {|#0:Make()|};
            """),
            Verify.Diagnostic(DiagnosticIds.ResultDiscarded).WithLocation(0).WithArguments("Make"));
    }

    [Fact]
    public async Task A_handle_that_is_awaited_stored_returned_passed_or_disposed_is_not_reported()
    {
        await Verify.VerifyAsync(WithHolder("""
                static async Task<int> M(List<SimpleTask<int>> list)
                {
                    int a = await Make();
                    await MakeVoid();
                    await Make().ConfigureAwait(false);
                    SimpleTask<int> stored = Make();
                    list.Add(Make());
                    Take(Make());
                    Make().Dispose();
                    Task<int> asTask = Make().AsTask();
                    using PromisePtr<int> pointer = Make().ToPromisePtr();
                    var source = new SimpleTaskCompletionSource<int>();
                    bool completed = source.Task.IsCompleted;
                    source.Dispose();
                    stored.Dispose();
                    return a + await asTask;
                }

                static SimpleTask<int> Forward() => Make();
            """));
    }

    [Fact]
    public async Task Other_awaitables_are_left_to_the_compiler_and_CA2012()
    {
        await Verify.VerifyAsync(WithHolder("""
                static Task<int> Other() => Task.FromResult(1);

                static void M() => Other();
            """));
    }

    [Fact]
    public async Task Fix_awaits_in_an_async_method()
    {
        await Fix.VerifyAsync(
            WithHolder("""
                static async Task M()
                {
                    {|SHTASK002:Make()|};
                    _ = {|SHTASK002:MakeVoid()|};
                }
            """),
            WithHolder("""
                static async Task M()
                {
                    await Make();
                    await MakeVoid();
                }
            """));
    }

    [Fact]
    public async Task Fix_disposes_as_the_second_choice_in_an_async_method()
    {
        await Fix.VerifyAsync(
            WithHolder("""
                static async Task M()
                {
                    {|SHTASK002:Make()|};
                }
            """),
            WithHolder("""
                static async Task M()
                {
                    Make().Dispose();
                }
            """),
            actionIndex: 1);
    }

    [Fact]
    public async Task Fix_disposes_outside_async_code()
    {
        await Fix.VerifyAsync(
            WithHolder("""
                static void M()
                {
                    _ = {|SHTASK002:Make()|};
                }
            """),
            WithHolder("""
                static void M()
                {
                    Make().Dispose();
                }
            """));
    }

    [Fact]
    public async Task No_fix_when_only_part_of_the_value_is_kept()
    {
        string source = WithHolder("""
                static bool M() => {|SHTASK002:Make()|}.IsCompleted;
            """);
        await Fix.VerifyAsync(source, source);
    }

    private static string WithHolder(string members) => Snippet.Class(members + """

                sealed class Holder
                {
                    public SimpleTask<int> Make() => new SimpleTask<int>(2);
                }
            """);
}
