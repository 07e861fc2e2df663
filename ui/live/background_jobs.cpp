#include "ui/live/background_jobs.h"

#include <QCoreApplication>
#include <QTimer>
#include <algorithm>
#include <mutex>
#include <vector>

#include "ui/live/thread_join.h"

namespace coreduel::ui {

struct JobContext::Channel {
    struct Item {
        quint64 id;
        std::function<void()> onGui;
        bool done = false;  // the job's end marker: its Done runs instead
        QString error;
    };
    std::mutex mutex;
    std::vector<Item> items;

    void push(Item item) {
        std::lock_guard lk(mutex);
        items.push_back(std::move(item));
    }
};

void JobContext::post(std::function<void()> onGui) const {
    m_channel->push({m_id, std::move(onGui), false, {}});
}

namespace {

std::atomic<int> g_threadsRunning{0};

/// Threads whose owner went away while they were still winding down (their stop flag set).
class Graveyard {
public:
    void add(std::thread thread, std::shared_ptr<std::atomic<bool>> finished) {
        std::lock_guard lk(m_mutex);
        m_threads.push_back({std::move(thread), std::move(finished)});
    }
    void reap() {
        std::vector<Entry> done;
        {
            std::lock_guard lk(m_mutex);
            std::erase_if(m_threads, [&](Entry& e) {
                if (!e.finished->load()) return false;
                done.push_back(std::move(e));
                return true;
            });
        }
        for (Entry& e : done) joinThread(e.thread, true);
    }
    [[nodiscard]] bool empty() {
        std::lock_guard lk(m_mutex);
        return m_threads.empty();
    }
    ~Graveyard() {
        // Process exit, the window long gone: the stragglers have their stop flags set.
        for (Entry& e : m_threads) joinThread(e.thread, e.finished->load());
    }

private:
    struct Entry {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> finished;
    };
    std::mutex m_mutex;
    std::vector<Entry> m_threads;
};

Graveyard& graveyard() {
    static Graveyard g;
    return g;
}

/// Reaps the graveyard a few times a second until it is empty: its threads' owners are gone,
/// and an idle BackgroundJobs does not tick.
void reapGraveyardSoon() {
    if (QCoreApplication::instance() == nullptr) return;  // the graveyard's end joins them
    QTimer::singleShot(250, QCoreApplication::instance(), [] {
        graveyard().reap();
        if (!graveyard().empty()) reapGraveyardSoon();
    });
}

}  // namespace

struct BackgroundJobs::Job {
    std::shared_ptr<std::atomic<bool>> stop = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> finished = std::make_shared<std::atomic<bool>>(false);
    std::thread thread;
    Done done;
    bool delivered = false;  // Done has run
    bool abandoned = false;
};

BackgroundJobs::BackgroundJobs(QObject* parent, int drainIntervalMs)
    : QObject(parent), m_channel(std::make_shared<JobContext::Channel>()) {
    m_intervalMs = drainIntervalMs;
    connect(&m_timer, &QTimer::timeout, this, &BackgroundJobs::drain);
    pace();
}

void BackgroundJobs::setDrainIntervalMs(int ms) {
    m_intervalMs = std::max(1, ms);
    pace();
}

void BackgroundJobs::pace() {
    // No job: nothing can arrive, so no tick. The window has five of these; idle ticks of
    // each woke the GUI thread sixteen times a second during a measured run, for nothing.
    if (m_jobs.empty()) {
        m_timer.stop();
        return;
    }
    if (m_timer.interval() != m_intervalMs) m_timer.setInterval(m_intervalMs);
    if (!m_timer.isActive()) m_timer.start();
}

BackgroundJobs::~BackgroundJobs() {
    for (auto& [id, job] : m_jobs) {
        job->stop->store(true);
        if (job->finished->load()) {
            joinThread(job->thread, true);
        } else {
            graveyard().add(std::move(job->thread), job->finished);
            reapGraveyardSoon();
        }
    }
}

quint64 BackgroundJobs::start(Work work, Done done) {
    const quint64 id = ++m_lastId;
    auto job = std::make_unique<Job>();
    job->done = std::move(done);
    JobContext context(m_channel, id, job->stop);
    g_threadsRunning.fetch_add(1);
    job->thread =
        std::thread([work = std::move(work), context, id, finished = job->finished]() mutable {
            QString error;
            try {
                work(context);
            } catch (const std::exception& e) {
                error = QString::fromUtf8(e.what());
            } catch (...) {
                error = QStringLiteral("unknown exception");
            }
            work = nullptr;  // what the work owned goes on this thread, before the end is announced
            context.m_channel->push({id, {}, true, error});
            g_threadsRunning.fetch_sub(1);
            finished->store(true);
        });
    m_jobs.emplace(id, std::move(job));
    pace();
    return id;
}

void BackgroundJobs::cancel(quint64 id) {
    if (auto it = m_jobs.find(id); it != m_jobs.end()) it->second->stop->store(true);
}

void BackgroundJobs::abandon(quint64 id) {
    auto it = m_jobs.find(id);
    if (it == m_jobs.end()) return;
    it->second->stop->store(true);
    it->second->abandoned = true;
    it->second->done = nullptr;
}

bool BackgroundJobs::running(quint64 id) const {
    auto it = m_jobs.find(id);
    return it != m_jobs.end() && !it->second->delivered && !it->second->abandoned;
}

void BackgroundJobs::drain() {
    std::vector<JobContext::Channel::Item> items;
    {
        std::lock_guard lk(m_channel->mutex);
        items.swap(m_channel->items);
    }
    for (auto& item : items) {
        // Looked up per item: a callback may start or abandon jobs.
        auto it = m_jobs.find(item.id);
        if (it == m_jobs.end() || it->second->abandoned) continue;
        if (item.done) {
            it->second->delivered = true;
            Done done = std::move(it->second->done);
            if (done) done(item.error);
        } else if (item.onGui) {
            item.onGui();
        }
    }
    reap();
}

void BackgroundJobs::reap() {
    std::erase_if(m_jobs, [](auto& entry) {
        Job& job = *entry.second;
        if (!job.finished->load() || !(job.delivered || job.abandoned)) return false;
        joinThread(job.thread, true);
        return true;
    });
    reapRetired();
    pace();
}

int BackgroundJobs::threadsRunning() {
    return g_threadsRunning.load();
}

void BackgroundJobs::reapRetired() {
    graveyard().reap();
}

}  // namespace coreduel::ui
