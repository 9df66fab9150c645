// A small Click-style "router" whose elements burn known shares of one CPU, for
// element-cost sampling: per packet, RadixIPLookup does 60 units of work, Classifier 30,
// and each of the two Counters 5 (their class 10). It runs until killed. With
// `-p PORT` it answers a Click ControlSocket on 127.0.0.1:PORT (list, NAME.class,
// NAME.count), so a session reads its packet rate as it would a FastClick's. With
// `-r RATE` it handles at most RATE packets a second (in 10 ms ticks, sleeping between
// them) instead of all it can.
//
//   g++ -O1 -g -fno-omit-frame-pointer -pthread -o click-cost-lab cost-router.cpp
//   ./click-cost-lab [-p PORT] [-r RATE] CONFIG.click
#include <arpa/inet.h>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <time.h>
#include <unistd.h>

struct Packet { uint64_t data; };

static volatile uint64_t sink;
static const int UNIT = 200;

// Shared by every element, so the samples' innermost frame is not the element: the
// sampler has to walk the call chain to find whom it works for.
__attribute__((noinline)) void spin(uint64_t units, uint64_t seed) {
  for (uint64_t i = 0; i < units * UNIT; i++) sink = sink + (seed ^ i);
}

class FromDevice { public: std::atomic<uint64_t> count{0};
  __attribute__((noinline)) Packet *pull(Packet *p) { p->data++; count.fetch_add(1, std::memory_order_relaxed); return p; } };
class Classifier { public: __attribute__((noinline)) void push(Packet *p) { spin(30, p->data); } };
class RadixIPLookup { public: __attribute__((noinline)) void push(Packet *p) { spin(60, p->data); } };
class Counter { public: std::atomic<uint64_t> count{0};
  __attribute__((noinline)) void push(Packet *p) { spin(5, p->data); count.fetch_add(1, std::memory_order_relaxed); } };
class ToDevice { public: std::atomic<uint64_t> count{0};
  __attribute__((noinline)) void push(Packet *) { count.fetch_add(1, std::memory_order_relaxed); } };

static FromDevice src;
static Classifier cls;
static RadixIPLookup rt;
static Counter c1, c2;
static ToDevice sink_dev;

struct Named { const char *name, *cls; std::atomic<uint64_t> *count; };
static Named ELEMENTS[] = {{"src", "FromDevice", &src.count}, {"cls", "Classifier", nullptr}, {"rt", "RadixIPLookup", nullptr},
                           {"c1", "Counter", &c1.count}, {"c2", "Counter", &c2.count}, {"sink", "ToDevice", &sink_dev.count}};

static std::string answer(const std::string &handler) {
  std::string data;
  if (handler == "list") {
    data = std::to_string(sizeof ELEMENTS / sizeof ELEMENTS[0]) + "\n";
    for (auto &e : ELEMENTS) data += std::string(e.name) + "\n";
  } else {
    size_t dot = handler.find('.');
    std::string el = handler.substr(0, dot), h = dot == std::string::npos ? "" : handler.substr(dot + 1);
    bool found = false;
    for (auto &e : ELEMENTS) {
      if (el != e.name) continue;
      found = true;
      if (h == "class") data = std::string(e.cls) + "\n";
      else if (h == "count" && e.count) data = std::to_string(e.count->load()) + "\n";
      else if (h == "kernel_drops" || h == "drops") data = "0\n";
      else return "511 No handler named '" + handler + "'\r\n";
    }
    if (!found) return "511 No element named '" + el + "'\r\n";
  }
  return "200 Read handler '" + handler + "' OK\r\nDATA " + std::to_string(data.size()) + "\r\n" + data;
}

static void serve(int fd) {
  const char *hello = "Click::ControlSocket/1.3\r\n";
  if (write(fd, hello, strlen(hello)) < 0) { close(fd); return; }
  std::string buf;
  char chunk[512];
  for (ssize_t n; (n = read(fd, chunk, sizeof chunk)) > 0;) {
    buf.append(chunk, n);
    for (size_t nl; (nl = buf.find('\n')) != std::string::npos;) {
      std::string line = buf.substr(0, nl);
      buf.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::string out = line.rfind("READ ", 0) == 0 ? answer(line.substr(5)) : line == "QUIT" ? "200 Goodbye!\r\n" : "500 Syntax error\r\n";
      if (write(fd, out.data(), out.size()) < 0 || line == "QUIT") { close(fd); return; }
    }
  }
  close(fd);
}

static void control_socket(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, (sockaddr *)&a, sizeof a) < 0 || listen(s, 4) < 0) { perror("ControlSocket"); exit(1); }
  for (;;) {
    int c = accept(s, nullptr, nullptr);
    if (c >= 0) std::thread(serve, c).detach();
  }
}

static void forward(Packet *p) {
  Packet *q = src.pull(p);
  cls.push(q);
  rt.push(q);
  c1.push(q);
  c2.push(q);
  sink_dev.push(q);
}

int main(int argc, char **argv) {
  int port = 0;
  long rate = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-p") && i + 1 < argc) port = atoi(argv[++i]);
    else if (!strcmp(argv[i], "-r") && i + 1 < argc) rate = atol(argv[++i]);
  }
  if (port > 0) std::thread(control_socket, port).detach();
  Packet p{1};
  if (rate <= 0) for (;;) forward(&p);
  timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  for (long carry = 0;;) {
    carry += rate;
    for (; carry >= 100; carry -= 100) forward(&p);
    next.tv_nsec += 10000000;
    if (next.tv_nsec >= 1000000000) { next.tv_nsec -= 1000000000; next.tv_sec++; }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr);
  }
}
