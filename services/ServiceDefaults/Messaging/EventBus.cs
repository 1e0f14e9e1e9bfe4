using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Xuncha.ServiceDefaults.Messaging;

public static class EventBus
{
    /// <summary>
    /// MassTransit on RabbitMQ (connection "eventbus", an amqp:// URI) with the platform's conventions: queues named
    /// "&lt;service&gt;-&lt;consumer&gt;", a short in-memory retry then the "_error" queue, the in-memory outbox per
    /// consume, and the transactional outbox relay for <typeparamref name="TDb"/>.
    /// </summary>
    public static IHostApplicationBuilder AddEventBus<TDb>(this IHostApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? consumers = null)
        where TDb : DbContext
    {
        var uri = builder.Configuration.GetConnectionString(ConnectionNames.EventBus)
            ?? throw new InvalidOperationException($"Connection string '{ConnectionNames.EventBus}' is missing (ConnectionStrings__{ConnectionNames.EventBus}).");
        var retryIntervals = builder.Configuration.GetSection("EventBus:RetryMilliseconds").Get<int[]>() ?? [100, 500, 2000];
        var quorum = builder.Configuration.GetValue("EventBus:QuorumQueues", false);

        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            consumers?.Invoke(x);
            x.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                context.GetRequiredService<ErrorQueues>().Track(name);
                // The database restarting or out of reach is waited out (about two minutes) rather than parking every
                // message that meets it in "_error"; any other failure gets the short retry below, then "_error".
                endpoint.UseMessageRetry(r =>
                {
                    r.Handle<Exception>(IsTransientDatabaseFailure);
                    r.Exponential(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(2));
                });
                endpoint.UseMessageRetry(r =>
                {
                    r.Ignore<Exception>(IsTransientDatabaseFailure);
                    r.Intervals(retryIntervals);
                });
                endpoint.UseInMemoryOutbox(context);
                if (quorum && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(uri));
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            // Start without waiting for the broker: commands keep working (into the outbox) while it is away.
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });
        builder.Services.AddHostedService<OutboxRelay<TDb>>();
        builder.Services.AddSingleton(new ErrorQueues(uri, serviceName));
        return builder;
    }

    internal static bool IsTransientDatabaseFailure(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.NpgsqlException { IsTransient: true }) return true;
        }
        return false;
    }
}
