using EvalLoop.Models.Wrappers;

namespace EvalLoop.Models.Tests.Wrappers;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1", 1000)]
    [InlineData(" 20 ", 20000)]
    [InlineData("0", 0)]
    [InlineData("1.5", 1500)]
    public void ReadsDeltaSeconds(string value, int expectedMilliseconds) =>
        RetryAfter.Parse(value, Now).Should().Be(TimeSpan.FromMilliseconds(expectedMilliseconds));

    [Fact]
    public void ReadsAnHttpDateRelativeToNow() =>
        RetryAfter.Parse("Sun, 01 Jun 2025 12:00:30 GMT", Now).Should().Be(TimeSpan.FromSeconds(30));

    [Fact]
    public void TreatsAnHttpDateInThePastAsNow() =>
        RetryAfter.Parse("Sun, 01 Jun 2025 11:00:00 GMT", Now).Should().Be(TimeSpan.Zero);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-3")]
    public void IgnoresValuesThatAreNotADelay(string? value) =>
        RetryAfter.Parse(value, Now).Should().BeNull();
}
