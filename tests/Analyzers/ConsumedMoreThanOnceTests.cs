using SharedTask.Analyzers.Tests.Support;
using Fix = SharedTask.Analyzers.Tests.Support.CodeFixVerifier<SharedTask.Analyzers.HandleFlowAnalyzer, SharedTask.Analyzers.CodeFixes.AddReferenceCodeFix>;
using Verify = SharedTask.Analyzers.Tests.Support.AnalyzerVerifier<SharedTask.Analyzers.HandleFlowAnalyzer>;

namespace SharedTask.Analyzers.Tests;

/// <summary>SHTASK001: a SimpleTask local or parameter consumed more than once on some path, and its fix.</summary>
public class ConsumedMoreThanOnceTests
{
    [Theory]
    [InlineData("await t;")]
    [InlineData("await t.ConfigureAwait(false);")]
    [InlineData("t.AsTask();")]
    [InlineData("t.AsValueTask();")]
    [InlineData("t.Dispose();")]
    [InlineData("t.ToPromisePtr().Dispose();")]
    [InlineData("t.GetAwaiter().GetResult();")]
    [InlineData("Take(t);")]
    [InlineData("new List<SimpleTask<int>>().Add(t);")]
    [InlineData("SimpleTask<int>[] all = [t];")]
    [InlineData("(SimpleTask<int> First, int Second) pair = (t, 1);")]
    [InlineData("s_field = t;")]
    public async Task Each_consumption_followed_by_an_await_is_reported(string consumption)
    {
        await Verify.VerifyAsync(Snippet.Class($$"""
                static SimpleTask<int> s_field;

                static async Task M(SimpleTask<int> t)
                {
                    {{consumption}}
                    await {|SHTASK001:t|};
                }
            """));
    }

    [Fact]
    public async Task The_message_names_the_variable_and_the_line_of_the_earlier_consumption()
    {
        await Verify.VerifyAsync(
            Snippet.Class("""
                static async Task M()
                {
                    SimpleTask<int> load = Make();
                    int a = await {|#1:load|};
                    int b = await {|#0:load|};
                }
            """),
            Verify.Diagnostic(DiagnosticIds.ConsumedMoreThanOnce).WithLocation(0).WithLocation(1).WithArguments("load", 17));
    }

    [Fact]
    public async Task A_consumption_on_one_branch_followed_by_one_after_the_branches_is_reported()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M(SimpleTask<int> t)
                {
                    if (Flag)
                    {
                        t.Dispose();
                    }

                    await {|SHTASK001:t|};
                }
            """));
    }

    [Fact]
    public async Task A_consumption_inside_a_loop_is_reported()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M(SimpleTask t)
                {
                    for (int i = 0; i < 2; i++)
                    {
                        await {|SHTASK001:t|};
                    }
                }
            """));
    }

    [Fact]
    public async Task Two_moves_in_one_call_are_reported_so_WhenAll_like_APIs_need_no_rule_of_their_own()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static SimpleTask<int> First(SimpleTask<int> a, SimpleTask<int> b) => a;
                static SimpleTask<int> All(params SimpleTask<int>[] tasks) => tasks[0];

                static void M(SimpleTask<int> t, SimpleTask<int> u)
                {
                    First(t, {|SHTASK001:t|}).Dispose();
                    All(u, {|SHTASK001:u|}).Dispose();
                }
            """));
    }

    [Fact]
    public async Task An_extension_method_taking_the_task_by_value_moves_it()
    {
        await Verify.VerifyAsync(
            """
            using System;
            using System.Threading.Tasks;
            using SharedTask;

            static class Extensions
            {
                public static SimpleTask<T> WithTimeout<T>(this SimpleTask<T> task, TimeSpan timeout) => task;
            }

            class C
            {
                static async Task M(SimpleTask<int> t)
                {
                    await t.WithTimeout(TimeSpan.FromSeconds(1));
                    await {|SHTASK001:t|};
                }
            }
            """);
    }

    [Fact]
    public async Task Disposing_in_a_catch_after_an_await_in_the_try_is_reported()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M(SimpleTask<int> t)
                {
                    try
                    {
                        await t;
                    }
                    catch (InvalidOperationException)
                    {
                        {|SHTASK001:t|}.Dispose();
                    }
                }
            """));
    }

    [Fact]
    public async Task Disposing_in_a_finally_after_an_await_in_the_try_is_reported()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M(SimpleTask<int> t)
                {
                    try
                    {
                        await t;
                    }
                    finally
                    {
                        {|SHTASK001:t|}.Dispose();
                    }
                }
            """));
    }

    [Fact]
    public async Task Locals_of_lambdas_and_local_functions_are_analyzed_too()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static void M()
                {
                    Func<Task> lambda = async () =>
                    {
                        SimpleTask<int> t = Make();
                        await t;
                        await {|SHTASK001:t|};
                    };

                    async Task Local(SimpleTask<int> u)
                    {
                        await u;
                        await {|SHTASK001:u|};
                    }
                }
            """));
    }

    [Fact]
    public async Task Each_consumer_with_its_own_Share_is_not_reported()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M(SimpleTask<int> t)
                {
                    SimpleTask<int> second = t.Share();
                    await t.Share();
                    await t;
                    await second;
                }
            """));
    }

    [Fact]
    public async Task Consumptions_on_different_branches_are_not_reported()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task<int> M(SimpleTask<int> t)
                {
                    if (Flag)
                    {
                        return await t;
                    }
                    else
                    {
                        t.Dispose();
                    }

                    return Flag ? await Make() : 0;
                }

                static SimpleTask<int> Pass(SimpleTask<int> t)
                {
                    if (Flag)
                    {
                        return t;
                    }

                    t.Dispose();
                    return Make();
                }
            """));
    }

    [Fact]
    public async Task A_variable_given_a_new_value_is_a_new_handle()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static SimpleTask<int> Next(SimpleTask<int> previous) => previous;

                static async Task M()
                {
                    SimpleTask<int> t = Make();
                    await t;
                    t = Make();
                    for (int i = 0; i < 3; i++)
                    {
                        t = Next(t);
                    }

                    await t;

                    foreach (SimpleTask<int> each in new[] { Make(), Make() })
                    {
                        await each;
                    }
                }
            """));
    }

    [Fact]
    public async Task Reads_that_do_not_consume_are_not_reported()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M(SimpleTask<int> t)
                {
                    bool done = t.IsCompleted || t.IsCompletedSuccessfully || t.IsFaulted || t.IsCanceled;
                    string text = t.ToString() + $"{t}";
                    Console.WriteLine(t);
                    Peek(t);
                    t.GetAwaiter().OnCompleted(() => { });
                    t.GetAwaiter().UnsafeOnCompleted(() => { });
                    bool ready = t.GetAwaiter().IsCompleted;
                    object boxed = t;
                    object[] all = [t];
                    await t;
                }
            """));
    }

    [Fact]
    public async Task A_variable_a_lambda_captures_is_not_tracked()
    {
        // A lambda may run at any time, so no path through this method says when it consumes the handle.
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M(SimpleTask<int> t)
                {
                    Func<Task<int>> later = async () => await t;
                    await t;
                }
            """));
    }

    [Fact]
    public async Task Awaiting_a_PromisePtr_many_times_is_not_reported()
    {
        await Verify.VerifyAsync(Snippet.Class("""
                static async Task M()
                {
                    using PromisePtr<int> pointer = Make().ToPromisePtr();
                    await pointer;
                    await pointer;
                }
            """));
    }

    [Fact]
    public async Task Fix_shares_at_the_earlier_consumption_when_the_later_one_always_follows()
    {
        await Fix.VerifyAsync(
            Snippet.Class("""
                static async Task M(SimpleTask<int> t)
                {
                    if (Flag)
                    {
                        await t;
                    }

                    int x = await {|SHTASK001:t|};
                }
            """),
            Snippet.Class("""
                static async Task M(SimpleTask<int> t)
                {
                    if (Flag)
                    {
                        await t.Share();
                    }

                    int x = await t;
                }
            """));
    }

    [Fact]
    public async Task Fix_shares_the_first_of_two_consumptions_in_one_block()
    {
        await Fix.VerifyAsync(
            Snippet.Class("""
                static async Task M(SimpleTask<int> t)
                {
                    Task<int> asTask = t.AsTask();
                    await {|SHTASK001:t|};
                }
            """),
            Snippet.Class("""
                static async Task M(SimpleTask<int> t)
                {
                    Task<int> asTask = t.Share().AsTask();
                    await t;
                }
            """));
    }

    [Fact]
    public async Task No_fix_when_a_path_from_the_earlier_consumption_skips_the_later_one()
    {
        // Sharing at the first await would leave the share unconsumed whenever Flag is false.
        string source = Snippet.Class("""
                static async Task M(SimpleTask<int> t)
                {
                    await t;
                    if (Flag)
                    {
                        await {|SHTASK001:t|};
                    }
                }
            """);
        await Fix.VerifyAsync(source, source);
    }

    [Fact]
    public async Task No_fix_for_a_consumption_repeated_by_a_loop()
    {
        string source = Snippet.Class("""
                static async Task M(SimpleTask<int> t)
                {
                    while (Flag)
                    {
                        await {|SHTASK001:t|};
                    }
                }
            """);
        await Fix.VerifyAsync(source, source);
    }
}
