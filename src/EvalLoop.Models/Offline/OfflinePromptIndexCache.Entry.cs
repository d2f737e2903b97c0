namespace EvalLoop.Models.Offline;

internal sealed partial class OfflinePromptIndexCache
{
    /// <summary>One cached index, built at most once: callers racing on a new prompt share the build.</summary>
    private sealed class Entry(Func<OfflinePromptIndex> build)
    {
        private readonly Lazy<OfflinePromptIndex> _index = new(build, LazyThreadSafetyMode.ExecutionAndPublication);
        private long _lastUsed;

        public OfflinePromptIndex Index => _index.Value;

        public long LastUsed => Volatile.Read(ref _lastUsed);

        public void Touch(long tick) => Volatile.Write(ref _lastUsed, tick);
    }
}
