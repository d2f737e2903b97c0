using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace EvalLoop.Models.Offline;

/// <summary>
/// Turns text into a fixed-size lexical vector: a fast, deterministic, dependency-free stand-in for sentence embeddings.
/// </summary>
/// <remarks>
/// <para>
/// Features are lower-cased word unigrams (a tiny stop-word list removed, light suffix stemming: plural "s"/"es"/"ies",
/// "ing", "ed") and character n-grams of 3 to 5 characters inside each word, the word padded with boundary markers
/// (<c>&lt;card&gt;</c>), as in fastText. Apostrophes are dropped inside words ("can't" is "cant"); every other
/// character that is not a letter or digit separates words, so "top-up" is "top up".
/// </para>
/// <para>
/// Each distinct feature gets a sub-linear term frequency <c>1 + ln(count)</c>, times a weight for its kind, and is
/// feature-hashed (64-bit FNV-1a, signed) into <see cref="Dimensions"/> buckets. <see cref="Embed(string)"/> returns the
/// L2-normalised vector, so the dot product of two embeddings is their cosine similarity. There is no IDF here because
/// a single text has no corpus; callers that have one (the offline chat model weights by the prompt's own candidate
/// texts) apply it on top.
/// </para>
/// <para>
/// This measures word overlap, not meaning: "card arrived" and "card delivery" share little. Instances are immutable and
/// thread-safe, and the output is identical across processes, machines and runs.
/// </para>
/// </remarks>
public sealed class LexicalTextFeaturizer
{
    /// <summary>The default number of dimensions, the size of the small sentence-embedding models it stands in for.</summary>
    public const int DefaultDimensions = 384;

    // Word unigrams say most about intent; the many character n-grams of a word each say little on their own but
    // bridge spelling variants and inflections ("arrived"/"arrival").
    private const float UnigramWeight = 1f;
    private const float CharacterNgramWeight = 0.5f;
    private const int MinNgram = 3;
    private const int MaxNgram = 5;
    private const int MaxWordLength = 64;
    private const ulong UnigramSeed = 0x9E3779B97F4A7C15;

    // The lowest hash bit marks the feature kind, so one sorted array of hashes carries both kinds.
    private const ulong UnigramBit = 1;

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> StopWords = FrozenSet.Create(
        StringComparer.Ordinal,
        "a", "an", "the", "is", "are", "am", "was", "were", "be", "been", "to", "of", "and", "or", "in", "on", "at",
        "for", "it", "its", "this", "that", "i", "im", "me", "my", "you", "your", "we", "our", "do", "does", "did",
        "so", "as", "by", "with", "there", "please", "hi", "hello", "thanks", "thank")
        .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Creates a featurizer that hashes into <paramref name="dimensions"/> buckets.</summary>
    /// <param name="dimensions">The vector size, at least 1.</param>
    public LexicalTextFeaturizer(int dimensions = DefaultDimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Dimensions = dimensions;
    }

    /// <summary>The length of every vector this featurizer produces.</summary>
    public int Dimensions { get; }

    /// <summary>
    /// Turns a label identifier into words: splits on <c>_</c>, <c>-</c>, <c>.</c>, <c>/</c> and camelCase humps,
    /// so <c>card_arrival</c> and <c>CardArrival</c> both become "card arrival".
    /// </summary>
    public static string LabelToText(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var builder = new StringBuilder(label.Length + 8);
        for (var i = 0; i < label.Length; i++)
        {
            var c = label[i];
            if (c is '_' or '-' or '.' or '/' || char.IsWhiteSpace(c))
            {
                AppendSpace(builder);
                continue;
            }

            var startsHump = i > 0 && char.IsUpper(c)
                && (char.IsLower(label[i - 1]) || char.IsDigit(label[i - 1])
                    || (char.IsUpper(label[i - 1]) && i + 1 < label.Length && char.IsLower(label[i + 1])));
            if (startsHump)
            {
                AppendSpace(builder);
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString().Trim();

        static void AppendSpace(StringBuilder builder)
        {
            if (builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }
    }

    /// <summary>
    /// Returns the L2-normalised feature vector of <paramref name="text"/>; all zeros when the text has no features
    /// (empty, or only stop words and punctuation).
    /// </summary>
    public float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        Embed(text, vector);
        return vector;
    }

    /// <summary>Writes the L2-normalised feature vector of <paramref name="text"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not <see cref="Dimensions"/> long.</exception>
    public void Embed(string text, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (destination.Length != Dimensions)
        {
            throw new ArgumentException($"The destination must have {Dimensions} elements.", nameof(destination));
        }

        destination.Clear();
        var features = CountFeatures(text);
        var squaredNorm = 0f;
        for (var i = 0; i < features.Count; i++)
        {
            destination[features.Indices[i]] = features.Values[i];
            squaredNorm += features.Values[i] * features.Values[i];
        }

        if (squaredNorm > 0f)
        {
            var scale = 1f / MathF.Sqrt(squaredNorm);
            foreach (ref var value in destination)
            {
                value *= scale;
            }
        }
    }

    /// <summary>
    /// The un-normalised, hashed feature vector of <paramref name="text"/> (sub-linear TF times kind weight, signed),
    /// for callers that weight it further, such as by IDF.
    /// </summary>
    internal SparseVector CountFeatures(ReadOnlySpan<char> text)
    {
        // Each character starts at most one n-gram of each length, plus one unigram per word: a safe upper bound.
        var capacity = (text.Length * (MaxNgram - MinNgram + 2)) + 8;
        var rented = ArrayPool<ulong>.Shared.Rent(capacity);
        try
        {
            var features = new FeatureBuffer(rented);
            Span<char> word = stackalloc char[MaxWordLength];
            var length = 0;
            foreach (var c in text)
            {
                if (char.IsLetterOrDigit(c))
                {
                    if (length < MaxWordLength)
                    {
                        word[length++] = char.ToLowerInvariant(c);
                    }
                }
                else if (c is '\'' or '\u2019' && length > 0)
                {
                    // Inside a word an apostrophe joins ("can't"); leading ones are dropped by the length check.
                }
                else if (length > 0)
                {
                    AddWord(word[..length], ref features);
                    length = 0;
                }
            }

            if (length > 0)
            {
                AddWord(word[..length], ref features);
            }

            return ToBuckets(rented.AsSpan(0, features.Count));
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    private static void AddWord(ReadOnlySpan<char> word, ref FeatureBuffer features)
    {
        if (StopWords.Contains(word))
        {
            return;
        }

        features.Add(Hash(Stem(word), UnigramSeed) | UnigramBit);

        Span<char> padded = stackalloc char[MaxWordLength + 2];
        padded[0] = '<';
        word.CopyTo(padded[1..]);
        padded[word.Length + 1] = '>';
        padded = padded[..(word.Length + 2)];
        for (var n = MinNgram; n <= MaxNgram; n++)
        {
            // A whole padded word of length n would duplicate the unigram feature.
            if (padded.Length <= n && n > MinNgram)
            {
                break;
            }

            for (var start = 0; start + n <= padded.Length; start++)
            {
                features.Add(Hash(padded.Slice(start, n), (ulong)n) & ~UnigramBit);
            }
        }
    }

    private SparseVector ToBuckets(Span<ulong> hashes)
    {
        if (hashes.IsEmpty)
        {
            return SparseVector.Empty;
        }

        // Sorting groups repeats of a feature, so counting is a single pass with no dictionary.
        hashes.Sort();
        var indices = new int[hashes.Length];
        var values = new float[hashes.Length];
        var distinct = 0;
        for (var start = 0; start < hashes.Length;)
        {
            var hash = hashes[start];
            var end = start + 1;
            while (end < hashes.Length && hashes[end] == hash)
            {
                end++;
            }

            var weight = (hash & UnigramBit) != 0 ? UnigramWeight : CharacterNgramWeight;
            // Signed hashing: colliding features cancel on average instead of always adding up.
            var sign = (hash >> 63) == 0 ? 1f : -1f;
            indices[distinct] = (int)((hash >> 1) % (ulong)Dimensions);
            values[distinct] = sign * weight * (1f + MathF.Log(end - start));
            distinct++;
            start = end;
        }

        Array.Sort(indices, values, 0, distinct);
        var count = 0;
        for (var i = 0; i < distinct; i++)
        {
            if (count > 0 && indices[count - 1] == indices[i])
            {
                values[count - 1] += values[i];
            }
            else
            {
                indices[count] = indices[i];
                values[count] = values[i];
                count++;
            }
        }

        return new SparseVector(indices.AsSpan(0, count).ToArray(), values.AsSpan(0, count).ToArray());
    }

    /// <summary>
    /// Light stemming that only has to make inflections of one word collide ("charge", "charges", "charged",
    /// "charging" all become "charg"; "currency" and "currencies" become "currenc"), not produce real stems.
    /// </summary>
    private static ReadOnlySpan<char> Stem(ReadOnlySpan<char> word)
    {
        if (word.Length > 4 && word.EndsWith("ies"))
        {
            word = word[..^3];
        }
        else if (word.Length > 5 && word.EndsWith("ing"))
        {
            word = word[..^3];
        }
        else if (word.Length > 4 && word.EndsWith("ed"))
        {
            word = word[..^2];
        }
        else if (word.Length > 3 && word[^1] == 's' && word[^2] is not ('s' or 'u' or 'i'))
        {
            word = word[..^1];
        }

        return word.Length > 3 && (word[^1] is 'e' or 'y') ? word[..^1] : word;
    }

    private static ulong Hash(ReadOnlySpan<char> text, ulong seed)
    {
        var hash = 0xCBF29CE484222325 ^ seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001B3;
        }

        // SplitMix64 finaliser: FNV's low bits are weak, and the bucket is taken modulo a small number.
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EB;
        return hash ^ (hash >> 31);
    }

    /// <summary>Appends feature hashes to a rented array sized for the worst case.</summary>
    private struct FeatureBuffer(ulong[] buffer)
    {
        private readonly ulong[] _buffer = buffer;

        public int Count { get; private set; }

        public void Add(ulong hash) => _buffer[Count++] = hash;
    }
}
