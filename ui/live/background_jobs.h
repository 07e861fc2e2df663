#pragma once
// The one way background work reaches the GUI. A job's work runs on a thread of its own and
// never calls into Qt: it posts closures to a mutex-guarded queue, and a timer on the GUI
// thread drains that queue (at most ~30 times a second) and runs them there, in the order they
// were posted. Every job has an id: what an abandoned job still posts is dropped, so a view
// never mixes two jobs. Cancelling only sets the job's stop flag (the work looks at it);
// whatever the work still posts, and its end, arrive as usual. Nothing here blocks the GUI
// thread: a thread is joined only once it has finished (from the drain), and threads still
// winding down when their owner goes away are handed to a process-wide list that is reaped
// the same way (and joined at exit, after the window is gone).

#include <QObject>
#include <QString>
#include <QTimer>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <thread>

namespace coreduel::ui {

/// What a job's work sees on its own thread.
class JobContext {
public:
    [[nodiscard]] quint64 id() const { return m_id; }
    [[nodiscard]] bool stopRequested() const { return m_stop->load(); }
    /// For core calls that take a stop flag (runIpcLab, runPythonPart).
    [[nodiscard]] const std::atomic<bool>* stopFlag() const { return m_stop.get(); }
    /// Queues `onGui` to run on the GUI thread at the next drain, after everything this job
    /// posted before; dropped if the job is abandoned first. Capture by value: the work's
    /// stack is gone by the time it runs.
    void post(std::function<void()> onGui) const;

private:
    friend class BackgroundJobs;
    struct Channel;
    JobContext(std::shared_ptr<Channel> channel, quint64 id,
               std::shared_ptr<std::atomic<bool>> stop)
        : m_channel(std::move(channel)), m_id(id), m_stop(std::move(stop)) {}
    std::shared_ptr<Channel> m_channel;
    quint64 m_id;
    std::shared_ptr<std::atomic<bool>> m_stop;
};

class BackgroundJobs : public QObject {
    Q_OBJECT
public:
    using Work = std::function<void(JobContext&)>;
    /// Runs on the GUI thread after the last of the job's posts: empty when the work returned,
    /// else what it threw.
    using Done = std::function<void(const QString& error)>;

    explicit BackgroundJobs(QObject* parent = nullptr, int drainIntervalMs = 33);
    /// Abandons every job (sets its stop flag, drops what it still sends); returns at once.
    ~BackgroundJobs() override;
    BackgroundJobs(const BackgroundJobs&) = delete;
    BackgroundJobs& operator=(const BackgroundJobs&) = delete;

    /// Starts `work` on a new thread; returns the job's id (never 0).
    quint64 start(Work work, Done done = {});
    /// Sets the job's stop flag; its posts and its Done still arrive. Returns at once.
    void cancel(quint64 id);
    /// Cancels the job and drops whatever it still posts, its Done included.
    void abandon(quint64 id);
    /// True from start() until the job's Done has run (or it was abandoned).
    [[nodiscard]] bool running(quint64 id) const;
    /// Runs what is queued now (the timer does this on its own).
    void drain();
    /// How often queued posts run while a job is going (a measured run asks for fewer GUI
    /// wake-ups: each costs the workers CPU). With no job the timer does not tick.
    void setDrainIntervalMs(int ms);
    [[nodiscard]] int drainIntervalMs() const { return m_intervalMs; }

    /// Job threads of this process that have not returned yet, retired ones included.
    [[nodiscard]] static int threadsRunning();
    /// Joins the retired threads that have finished (a timer does this too while any are
    /// left).
    static void reapRetired();

private:
    struct Job;
    void reap();

    std::shared_ptr<JobContext::Channel> m_channel;
    std::map<quint64, std::unique_ptr<Job>> m_jobs;
    quint64 m_lastId = 0;
    QTimer m_timer;
    int m_intervalMs = 33;
    /// The timer's pace for what is running now: m_intervalMs with a job, stopped without.
    void pace();
};

}  // namespace coreduel::ui
