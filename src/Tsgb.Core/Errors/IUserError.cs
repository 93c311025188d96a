namespace TsgbKit.Errors;

/// <summary>
/// Marks an exception the user caused and can fix (a wrong file, key, shape, label, layer, option). The CLI, the
/// magics and the kernel show its message alone; any other exception is a bug and keeps its stack trace.
/// </summary>
public interface IUserError;
