using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatBot.Host.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Broadcasts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deliveries_BroadcastRunId",
                table: "Deliveries");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_MemberId",
                table: "Deliveries");

            migrationBuilder.AddColumn<string>(
                name: "Audience",
                table: "Broadcasts",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTime>(
                name: "ConfirmedAt",
                table: "Broadcasts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Cron",
                table: "Broadcasts",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "MassSend",
                table: "Broadcasts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "UpdatedAt",
                table: "Broadcasts",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<bool>(
                name: "Urgent",
                table: "Broadcasts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "EnqueuedAt",
                table: "BroadcastRuns",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ResendOfRunId",
                table: "BroadcastRuns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SlotAt",
                table: "BroadcastRuns",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "Snapshot",
                table: "BroadcastRuns",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "Urgent",
                table: "BroadcastRuns",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_BroadcastRunId_Status",
                table: "Deliveries",
                columns: new[] { "BroadcastRunId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_MemberId_CreatedAt",
                table: "Deliveries",
                columns: new[] { "MemberId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BroadcastRuns_ResendOfRunId",
                table: "BroadcastRuns",
                column: "ResendOfRunId");

            migrationBuilder.CreateIndex(
                name: "IX_BroadcastRuns_Status_EnqueuedAt",
                table: "BroadcastRuns",
                columns: new[] { "Status", "EnqueuedAt" });

            migrationBuilder.AddForeignKey(
                name: "FK_BroadcastRuns_BroadcastRuns_ResendOfRunId",
                table: "BroadcastRuns",
                column: "ResendOfRunId",
                principalTable: "BroadcastRuns",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_BroadcastRuns_BroadcastRuns_ResendOfRunId",
                table: "BroadcastRuns");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_BroadcastRunId_Status",
                table: "Deliveries");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_MemberId_CreatedAt",
                table: "Deliveries");

            migrationBuilder.DropIndex(
                name: "IX_BroadcastRuns_ResendOfRunId",
                table: "BroadcastRuns");

            migrationBuilder.DropIndex(
                name: "IX_BroadcastRuns_Status_EnqueuedAt",
                table: "BroadcastRuns");

            migrationBuilder.DropColumn(
                name: "Audience",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "ConfirmedAt",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "Cron",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "MassSend",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "Urgent",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "EnqueuedAt",
                table: "BroadcastRuns");

            migrationBuilder.DropColumn(
                name: "ResendOfRunId",
                table: "BroadcastRuns");

            migrationBuilder.DropColumn(
                name: "SlotAt",
                table: "BroadcastRuns");

            migrationBuilder.DropColumn(
                name: "Snapshot",
                table: "BroadcastRuns");

            migrationBuilder.DropColumn(
                name: "Urgent",
                table: "BroadcastRuns");

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_BroadcastRunId",
                table: "Deliveries",
                column: "BroadcastRunId");

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_MemberId",
                table: "Deliveries",
                column: "MemberId");
        }
    }
}
