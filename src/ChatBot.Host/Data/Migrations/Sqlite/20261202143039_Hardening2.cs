using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatBot.Host.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Hardening2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ChannelIdentities_MemberId",
                table: "ChannelIdentities");

            migrationBuilder.CreateIndex(
                name: "IX_ChannelIdentities_MemberId_Channel_Bound",
                table: "ChannelIdentities",
                columns: new[] { "MemberId", "Channel" },
                unique: true,
                filter: "\"State\" = 'Bound'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ChannelIdentities_MemberId_Channel_Bound",
                table: "ChannelIdentities");

            migrationBuilder.CreateIndex(
                name: "IX_ChannelIdentities_MemberId",
                table: "ChannelIdentities",
                column: "MemberId");
        }
    }
}
