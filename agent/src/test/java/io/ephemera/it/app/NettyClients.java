package io.ephemera.it.app;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;

/**
 * Netty's transports (NIO, native epoll; io_uring apart), run by NettyIT on Netty 4.1 and 4.2 (the
 * API used here is common to both): an echo server and two clients on loopback, one connection per
 * request and one shared connection, each in its own method and a bounded loop, then a refused
 * connect and a channel connected without Bootstrap. Prints
 * what the application itself counted ({@code expect} lines), then the agent's MXBean once its
 * census has seen the connections' TIME_WAIT sockets.
 */
public final class NettyClients {

    private static final AtomicInteger accepted = new AtomicInteger();
    private static final AtomicInteger serverClosed = new AtomicInteger();
    private static int connects;
    private static int failures;

    private NettyClients() {
    }

    @SuppressWarnings("deprecation") // EpollEventLoopGroup: 4.2's replacement does not exist in 4.1
    public static void main(String[] args) throws Exception {
        String transport = args[0];
        String scenario = args[1];
        int requests = Integer.parseInt(args[2]);
        boolean uring = transport.equals("io_uring");
        boolean nio = transport.equals("nio");
        Throwable unavailable = uring ? UringTransport.unavailabilityCause()
                : nio || Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
        if (unavailable != null) {
            System.out.println("unavailable\t" + unavailable);
            return;
        }
        EventLoopGroup group = uring ? UringTransport.group() : nio ? new NioEventLoopGroup(2) : new EpollEventLoopGroup(2);
        Class<? extends io.netty.channel.ServerChannel> serverChannel = uring ? UringTransport.serverChannel()
                : nio ? NioServerSocketChannel.class : EpollServerSocketChannel.class;
        Class<? extends Channel> clientChannel = uring ? UringTransport.clientChannel()
                : nio ? NioSocketChannel.class : EpollSocketChannel.class;
        try {
            Channel server = new ServerBootstrap().group(group).channel(serverChannel)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accepted.incrementAndGet();
                            ch.closeFuture().addListener(f -> serverClosed.incrementAndGet());
                            ch.pipeline().addLast(new Echo());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            InetSocketAddress to = (InetSocketAddress) server.localAddress();
            System.out.println("port\t" + to.getPort());
            Bootstrap client = new Bootstrap().group(group).channel(clientChannel)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000);
            if (scenario.equals("heldOpen")) {
                heldOpen(client, to, requests);
                System.out.flush();
                System.exit(0); // with the connections still open: the exit report must see them
            }
            for (int i = 0; i < requests; i++) {
                perRequest(client, to);
            }
            shared(client, to, requests);
            refused(client);
            channelConnect(group, clientChannel, to);
            awaitAtLeast(serverClosed, requests + 2);
            System.out.println("expect\tconnects\t" + connects);
            System.out.println("expect\tfailures\t" + failures);
            System.out.println("expect\taccepts\t" + accepted.get());
            awaitCensus(requests + 2); // every connection, the shared one too, closed here first
            AuditDump.print(System.out);
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    /** One connection per request: connect, one byte there and back, close (here first: TIME_WAIT here). */
    static void perRequest(Bootstrap client, InetSocketAddress to) throws Exception {
        Replies replies = new Replies();
        Channel ch = client.clone().handler(replies).connect(to).sync().channel();
        connects++;
        replies.roundTrip(ch);
        ch.close().sync();
    }

    /** One connection for every request. */
    static void shared(Bootstrap client, InetSocketAddress to, int requests) throws Exception {
        Replies replies = new Replies();
        Channel ch = client.clone().handler(replies).connect(to).sync().channel();
        connects++;
        for (int i = 0; i < requests; i++) {
            replies.roundTrip(ch);
        }
        ch.close().sync();
    }

    /** A channel the application registers and connects itself, without Bootstrap. */
    static void channelConnect(EventLoopGroup group, Class<? extends Channel> type, InetSocketAddress to)
            throws Exception {
        Channel ch = type.getDeclaredConstructor().newInstance();
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter());
        group.register(ch).sync();
        ch.connect(to).sync();
        connects++;
        ch.close().sync();
    }

    /**
     * {@code n} connections kept open until the JVM exits (the exit report names them), printed
     * once the census counted them: under the test switch that leaves Netty unhooked, they are unseen.
     */
    static void heldOpen(Bootstrap client, InetSocketAddress to, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            Replies replies = new Replies();
            Channel ch = client.clone().handler(replies).connect(to).sync().channel();
            replies.roundTrip(ch);
        }
        awaitAtLeast(accepted, n);
        System.out.println("expect\taccepts\t" + accepted.get());
        if (AuditDump.awaitRegistered(10_000)) {
            awaitAttribute("UnseenConnections", 2L * n);
        }
        AuditDump.print(System.out);
    }

    /** A port nobody listens on: refused. */
    static void refused(Bootstrap client) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ChannelFuture f = client.clone().handler(new ChannelInboundHandlerAdapter())
                .connect(new InetSocketAddress("127.0.0.1", port)).await();
        if (!f.isSuccess()) {
            failures++;
        }
    }

    private static void awaitAtLeast(AtomicInteger counter, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counter.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** Waits (generously) for a census that saw this run's TIME_WAIT sockets, so the dump shows them. */
    private static void awaitCensus(int timeWait) throws Exception {
        if (AuditDump.awaitRegistered(10_000)) {
            awaitAttribute("OwnedTimeWaitCount", timeWait);
        }
    }

    /** Waits (generously) until a count of the MXBean reaches {@code atLeast}. */
    private static void awaitAttribute(String attribute, long atLeast) throws Exception {
        ObjectName name = new ObjectName(AuditDump.NAME);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Object v = ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute);
            if (((Number) v).longValue() >= atLeast) {
                return;
            }
            Thread.sleep(50);
        }
    }

    /** Echoes every byte: the server side. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    /** The client side: one byte sent, the reply awaited. */
    static final class Replies extends ChannelInboundHandlerAdapter {
        private final BlockingQueue<Integer> received = new ArrayBlockingQueue<>(16);

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                received.add(b.readableBytes());
            } finally {
                b.release();
            }
        }

        void roundTrip(Channel ch) throws Exception {
            ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {42})).sync();
            if (received.poll(60, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("no reply from the echo server within 60 s");
            }
        }
    }
}
