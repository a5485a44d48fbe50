namespace SharedTask.Samples.Comparison;

/// <summary>Applies one command-line option to an options record, or sets <paramref name="error"/> to say why it cannot.</summary>
/// <typeparam name="TOptions">The options record.</typeparam>
/// <param name="options">The options so far.</param>
/// <param name="name">The option's name, for example <c>--clients</c>.</param>
/// <param name="value">The option's value as typed.</param>
/// <param name="error">Set to a message for the user when the option or its value is not valid.</param>
/// <returns>The options with this one applied.</returns>
public delegate TOptions OptionSetter<TOptions>(TOptions options, string name, string value, ref string? error);
