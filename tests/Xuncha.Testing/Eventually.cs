namespace Xuncha.Testing;

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> and the last observation on timeout.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> observe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await observe();
            if (condition(last)) return last;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#}s waiting for {what}; last observed: {last}");
            }
            await Task.Delay(100);
        }
    }
}
