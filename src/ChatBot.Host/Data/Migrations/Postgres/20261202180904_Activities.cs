using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ChatBot.Host.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Activities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ReadAt",
                table: "StudyAssignments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DecidedAt",
                table: "PointsEntries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecidedBy",
                table: "PointsEntries",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecisionNote",
                table: "PointsEntries",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Evidence",
                table: "PointsEntries",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestedBy",
                table: "PointsEntries",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "StarLevels",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    RuleCodes = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    QuarterThreshold = table.Column<int>(type: "integer", nullable: false),
                    Active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StarLevels", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PointsEntries_Status_CreatedAt",
                table: "PointsEntries",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_StarLevels_Name",
                table: "StarLevels",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StarLevels");

            migrationBuilder.DropIndex(
                name: "IX_PointsEntries_Status_CreatedAt",
                table: "PointsEntries");

            migrationBuilder.DropColumn(
                name: "ReadAt",
                table: "StudyAssignments");

            migrationBuilder.DropColumn(
                name: "DecidedAt",
                table: "PointsEntries");

            migrationBuilder.DropColumn(
                name: "DecidedBy",
                table: "PointsEntries");

            migrationBuilder.DropColumn(
                name: "DecisionNote",
                table: "PointsEntries");

            migrationBuilder.DropColumn(
                name: "Evidence",
                table: "PointsEntries");

            migrationBuilder.DropColumn(
                name: "RequestedBy",
                table: "PointsEntries");
        }
    }
}
