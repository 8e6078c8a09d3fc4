using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatBot.Host.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DecidedAt",
                table: "PointsEntries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecidedBy",
                table: "PointsEntries",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecisionNote",
                table: "PointsEntries",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Evidence",
                table: "PointsEntries",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestedBy",
                table: "PointsEntries",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "StarLevels",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RuleCodes = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    QuarterThreshold = table.Column<int>(type: "INTEGER", nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false)
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
