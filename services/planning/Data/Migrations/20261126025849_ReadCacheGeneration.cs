using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Xuncha.Planning.Data.Migrations
{
    /// <summary>
    /// The data generation that coverage and statistics are cached under: one counter row, bumped once per committing
    /// transaction that changed a table those answers read. The bump is a deferred constraint trigger, so it runs at
    /// commit time after every other lock the transaction takes (no deadlock cycle through the counter row), and a
    /// transaction-local flag keeps it to one update per transaction however many rows were written.
    /// </summary>
    public partial class ReadCacheGeneration : Migration
    {
        private static readonly string[] Tables = ["targets", "rounds", "round_targets", "terms", "jurisdictions"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE data_generation (id int PRIMARY KEY CHECK (id = 1), value bigint NOT NULL);
                INSERT INTO data_generation VALUES (1, 1);
                CREATE FUNCTION bump_data_generation() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF coalesce(current_setting('planning.generation_bumped', true), '') <> 'yes' THEN
                        PERFORM set_config('planning.generation_bumped', 'yes', true);
                        UPDATE data_generation SET value = value + 1 WHERE id = 1;
                    END IF;
                    RETURN NULL;
                END $$;
                """);
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""
                    CREATE CONSTRAINT TRIGGER {table}_data_generation AFTER INSERT OR UPDATE OR DELETE ON {table}
                        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_generation();
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"DROP TRIGGER {table}_data_generation ON {table};");
            }
            migrationBuilder.Sql("DROP FUNCTION bump_data_generation(); DROP TABLE data_generation;");
        }
    }
}
