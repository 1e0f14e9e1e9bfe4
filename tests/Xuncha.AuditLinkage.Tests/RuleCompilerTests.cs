using Xuncha.AuditLinkage.Datasets;
using Xuncha.AuditLinkage.Rules;

namespace Xuncha.AuditLinkage.Tests;

/// <summary>Pure checks of the rule language: what it refuses, and that names never reach SQL unchecked.</summary>
public sealed class RuleCompilerTests
{
    [Fact]
    public void The_built_in_rules_validate_and_compile_with_thresholds_as_parameters()
    {
        foreach (var (code, _, definition) in BuiltInRules.All)
        {
            Assert.Empty(RuleCompiler.Validate(definition));
            var versions = DatasetCatalog.All.ToDictionary(k => k.Code, _ => Guid.NewGuid());
            var compiled = RuleCompiler.Compile(definition, versions);
            Assert.All(compiled.Statements, s => Assert.DoesNotContain("50000", s.Sql));
        }
        var voucher = BuiltInRules.All.Single(r => r.Code == "large-payment-without-voucher");
        var sql = RuleCompiler.Compile(voucher.Definition, DatasetCatalog.All.ToDictionary(k => k.Code, _ => Guid.NewGuid()));
        Assert.Contains(50_000m, sql.Statements.Single().Parameters);
    }

    [Fact]
    public void Unknown_names_wrong_types_and_malformed_thresholds_are_reported_by_path()
    {
        var errors = RuleCompiler.Validate(new RuleDefinition
        {
            Dataset = "subsidy-payments",
            Summary = "{a.nope}",
            AmountColumn = "item",
            Where = [new RuleCondition { Column = "a.paid_on", Op = "gte", Value = 5 }, new RuleCondition { Column = "a.item", Op = "like" }],
            AnyOf = [new RuleCollision { Dataset = "death-registry", On = [new JoinKey("recipient_id", "died_on")] },
                     new RuleCollision { Dataset = "moon-landings", On = [new JoinKey("x", "y")] }],
        });
        Assert.Equal(["amountColumn", "anyOf[0].on[0]", "anyOf[1].dataset", "summary", "where[0].value", "where[1].op"], errors.Keys.Order());
    }

    [Fact]
    public void A_working_day_condition_needs_two_dates_of_one_dataset_and_a_whole_number()
    {
        var errors = RuleCompiler.Validate(new RuleDefinition
        {
            Dataset = "fund-disbursements",
            Summary = "x",
            Where = [new RuleCondition { Column = "a.received_on", Op = "workingDaysOver", OtherColumn = "a.amount", Value = 1.5m }],
        });
        Assert.Equal(["where[0]", "where[0].value"], errors.Keys.Order());
    }

    [Theory]
    [InlineData("610102195001010011", true)]
    [InlineData("610102195001010012", false)]
    [InlineData("11010519491231002x", true)]
    [InlineData("6101021950010100１1", false)]
    [InlineData("61010219500101001", false)]
    public void Identity_numbers_are_checked_with_their_check_character(string number, bool valid)
    {
        Assert.Equal(valid, IdentityNumbers.TryNormalize(number, new char[18]));
    }
}
