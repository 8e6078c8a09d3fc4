using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ChatBot.Host.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Schedules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "LastRunAt",
                table: "RecurringSchedules",
                newName: "LastSlotAt");

            migrationBuilder.AlterColumn<int>(
                name: "OrganisationId",
                table: "RecurringSchedules",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AddColumn<DateTime>(
                name: "UpdatedAt",
                table: "RecurringSchedules",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<int>(
                name: "MemberId",
                table: "AdminUsers",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LessonSeriesPositions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MemberId = table.Column<int>(type: "integer", nullable: false),
                    Series = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LastContentItemId = table.Column<int>(type: "integer", nullable: false),
                    LastSlotAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LessonSeriesPositions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LessonSeriesPositions_ContentItems_LastContentItemId",
                        column: x => x.LastContentItemId,
                        principalTable: "ContentItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_LessonSeriesPositions_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScheduleRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ScheduleId = table.Column<int>(type: "integer", nullable: false),
                    SlotAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RunKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Trigger = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Report = table.Column<string>(type: "character varying(16000)", maxLength: 16000, nullable: false),
                    Error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScheduleRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScheduleRuns_RecurringSchedules_ScheduleId",
                        column: x => x.ScheduleId,
                        principalTable: "RecurringSchedules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RecurringSchedules_Kind_OrganisationId",
                table: "RecurringSchedules",
                columns: new[] { "Kind", "OrganisationId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AdminUsers_MemberId",
                table: "AdminUsers",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_LessonSeriesPositions_LastContentItemId",
                table: "LessonSeriesPositions",
                column: "LastContentItemId");

            migrationBuilder.CreateIndex(
                name: "IX_LessonSeriesPositions_MemberId_Series",
                table: "LessonSeriesPositions",
                columns: new[] { "MemberId", "Series" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ScheduleRuns_RunKey",
                table: "ScheduleRuns",
                column: "RunKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ScheduleRuns_ScheduleId_SlotAt",
                table: "ScheduleRuns",
                columns: new[] { "ScheduleId", "SlotAt" });

            migrationBuilder.AddForeignKey(
                name: "FK_AdminUsers_Members_MemberId",
                table: "AdminUsers",
                column: "MemberId",
                principalTable: "Members",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AdminUsers_Members_MemberId",
                table: "AdminUsers");

            migrationBuilder.DropTable(
                name: "LessonSeriesPositions");

            migrationBuilder.DropTable(
                name: "ScheduleRuns");

            migrationBuilder.DropIndex(
                name: "IX_RecurringSchedules_Kind_OrganisationId",
                table: "RecurringSchedules");

            migrationBuilder.DropIndex(
                name: "IX_AdminUsers_MemberId",
                table: "AdminUsers");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "RecurringSchedules");

            migrationBuilder.DropColumn(
                name: "MemberId",
                table: "AdminUsers");

            migrationBuilder.RenameColumn(
                name: "LastSlotAt",
                table: "RecurringSchedules",
                newName: "LastRunAt");

            migrationBuilder.AlterColumn<int>(
                name: "OrganisationId",
                table: "RecurringSchedules",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);
        }
    }
}
