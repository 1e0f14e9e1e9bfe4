using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Xuncha.AuditLinkage.Data.Migrations
{
    /// <summary>
    /// A hit's evidence is kept as json, the text it was written as, instead of jsonb: it is only ever stored and read
    /// back whole, and jsonb's parse on the way in was the largest per-hit cost of a comparison run.
    /// </summary>
    [DbContext(typeof(AuditDb))]
    [Migration("20261126100000_EvidenceAsJson")]
    public partial class EvidenceAsJson : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE comparison_hits ALTER COLUMN evidence TYPE json USING evidence::json;");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE comparison_hits ALTER COLUMN evidence TYPE jsonb USING evidence::jsonb;");
        }
    }
}
