using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Xuncha.AuditLinkage.Data.Migrations
{
    /// <summary>
    /// Hits are keyed by (run_id, id) instead of id with a second index on (run_id, rule_code): they are only ever read by
    /// run, and a run writes thousands at once, so one index fewer to fill for each.
    /// </summary>
    [DbContext(typeof(AuditDb))]
    [Migration("20261126140000_HitsKeyedByRun")]
    public partial class HitsKeyedByRun : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
            DROP INDEX "IX_comparison_hits_run_id_rule_code";
            ALTER TABLE comparison_hits DROP CONSTRAINT "PK_comparison_hits";
            ALTER TABLE comparison_hits ADD CONSTRAINT "PK_comparison_hits" PRIMARY KEY (run_id, id);
            """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
            ALTER TABLE comparison_hits DROP CONSTRAINT "PK_comparison_hits";
            ALTER TABLE comparison_hits ADD CONSTRAINT "PK_comparison_hits" PRIMARY KEY (id);
            CREATE INDEX "IX_comparison_hits_run_id_rule_code" ON comparison_hits (run_id, rule_code);
            """);
        }
    }
}
