using Microsoft.Extensions.DependencyInjection;

namespace EvalLoop.Suggestions.Tests;

public sealed class SuggesterOptionsTests
{
    [Fact]
    public void TheDefaultsAreValid() => FluentActions.Invoking(() => SuggesterOptionsValidator.ThrowIfInvalid(new SuggesterOptions())).Should().NotThrow();

    [Theory]
    [InlineData(0, 0.05, 4)]
    [InlineData(10, 1.0, 4)]
    [InlineData(10, 0.05, 6)]
    public void InvalidOptionsAreRefusedAtStartUpNamingTheOption(int examplesPerLabel, double significance, int agreement)
    {
        // Arrange
        var options = new SuggesterOptions { ExamplesPerLabel = examplesPerLabel, SignificanceLevel = significance, SuspectAgreement = agreement };

        // Act
        var register = () => new ServiceCollection().AddEvalLoopSuggestions(options);

        // Assert
        register.Should().Throw<ArgumentException>().WithMessage("Invalid suggester options*");
    }
}
