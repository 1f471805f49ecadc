//! The `juesuan` command line: one binary for every stage of the pipeline.
//! It parses arguments and prints; the work is done by the library crates.

mod audit;
mod build;
mod explain;
mod progress;
mod region;

use clap::{Parser, Subcommand, ValueEnum};
use juesuan_check::{Catalogue, Check};
use juesuan_model::DocKind;
use std::path::PathBuf;
use std::process::ExitCode;

/// juesuan：部门决算公开的数据检查、汇总、生成与审核工具。
///
/// 数据集是一个目录：disclosure.toml（基本信息、补充信息、变动原因）加上每个单位的九张表
/// （CSV）。格式见 docs/dataset.md，示例见 examples/chifeng-sfj-2024。
#[derive(Parser)]
#[command(name = "juesuan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// 不显示进度（进度只在标准错误是终端时显示）
    #[arg(short, long, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// 按审核规则检查一个数据集，列出所有不一致的数字。
    ///
    /// 也可检查一个地区目录（含 region.toml，见 docs/dataset.md）：逐个检查其下每个部门
    /// （部门汇总数和每个单位）以及每一级地区的汇总表，最后按部门列出问题数（最多的在前）。
    ///
    /// 退出码：0 = 没有错误（可能有警告）；1 = 发现错误；2 = 数据集无法读取。
    ///
    /// 示例：juesuan check examples/chifeng-sfj-2024 --format json
    Check {
        /// 数据集目录或地区目录
        dir: PathBuf,
        /// 按另一年度的口径检查数据集（默认为数据集自己的年度）：两年间变动的科目编码
        /// 逐个说明变成了什么及其文件依据
        #[arg(long)]
        year: Option<i32>,
        /// 输出格式：human（中文，按表分组）或 json（DESIGN.md 的结构）
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 生成决算公开文件：HTML、PDF、Word（DOCX）、Excel（XLSX）、开放数据（CSV/JSON + datapackage.json）。
    ///
    /// 先按规则检查；有错误时拒绝生成并列出问题（缺少的变动原因排在最前），加 --draft
    /// 则照样生成，每页带“草稿”水印。可一次给多个数据集目录，并行生成，各自输出到
    /// OUT/目录名/。
    ///
    /// 退出码：0 = 全部生成；1 = 有数据集因检查错误被拒绝；2 = 有数据集无法读取或写入。
    ///
    /// 示例：juesuan build examples/chifeng-sfj-2024 -o out
    Build {
        /// 数据集目录（一个或多个）
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// 输出目录
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        /// 要生成的格式，逗号分隔
        #[arg(long, value_enum, value_delimiter = ',', default_values_t = [build::OutputFormat::Html, build::OutputFormat::Pdf, build::OutputFormat::Docx, build::OutputFormat::Xlsx, build::OutputFormat::Data])]
        formats: Vec<build::OutputFormat>,
        /// 有检查错误也生成，每页加“草稿”水印
        #[arg(long)]
        draft: bool,
        /// 同时为每个单位生成单位决算（输出到 OUT/units/<单位id>/；单位的概况、联系方式、
        /// 补充数据和变动原因取自 units/<单位id>/unit.toml，见 docs/dataset.md）
        #[arg(long)]
        units: bool,
        /// 并行任务数（默认为 CPU 核数）
        #[arg(short, long)]
        jobs: Option<usize>,
        /// 先为需要变动原因的比较起草数量说明，写入各数据集 disclosure.toml 的
        /// [suggestions."年初预算"] / [suggestions."上年决算"]（不写入 [reasons]，缺少变动原因时照样拒绝生成）
        #[arg(long)]
        suggest_reasons: bool,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 列出需要说明变动原因的每一项比较（决算与年初预算、本年与上年决算），并起草数量说明。
    ///
    /// 哪些比较需要变动原因由审核规则决定（与 build 拒绝生成时列出的相同）。每项给出变动额，
    /// 并把变动分解到明细（功能分类款/项、经济分类、表内项目或各单位），起草如“主要是……减少
    /// X万元、……，合计减少Y万元，占减少额的Z%”的句子；所有数字取自公开表（舍位平衡后），
    /// 与表中一致。原因（为什么）仍由填报人填写。
    ///
    /// 退出码：0 = 已列出；2 = 数据集无法读取。
    ///
    /// 示例：juesuan explain examples/chifeng-sfj-2024 --format json
    Explain {
        /// 数据集目录
        dir: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 跨数据集核对：本年的“上年决算”与上年决算数据，或“年初预算”与部门预算数据。
    ///
    /// juesuan crosscheck 上年目录 本年目录 [--map 对照表.csv]：本年数据集用到的每个上年决算数
    /// （同表、同行，对上年的决算列）与上年数据集核对；科目编码变化用对照表
    /// （old_code,new_code[,note]，多对一合并、一对多拆分按合计核对）。
    /// juesuan crosscheck --budget 预算目录 决算目录：每个年初预算数（表7为预算数）与部门预算
    /// 数据集（同格式，决算列填部门预算数）核对。两边都是公开的万元数，各有 ±0.005 的舍入。
    ///
    /// 退出码：0 = 没有差异；1 = 有差异；2 = 数据集或对照表无法读取。
    ///
    /// 示例：juesuan crosscheck data/2023 data/2024 --map 科目对照.csv --format json
    Crosscheck {
        /// 上年数据集目录（--budget 时为部门预算数据集目录）
        first: PathBuf,
        /// 本年数据集目录（--budget 时为决算数据集目录）
        second: PathBuf,
        /// 核对年初预算与部门预算
        #[arg(long)]
        budget: bool,
        /// 科目编码对照表（CSV：old_code,new_code[,note]）
        #[arg(long)]
        map: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 审核已公开的决算文件（.txt、.docx、.pdf），列出所有前后不一致的数字。
    ///
    /// 从文本中提取每个数字及其含义（总计、合计、变动额与变动率、完成率、占比、类/款/项、
    /// “三公”经费、项目个数、图表数据……），按区间算术核对：四舍五入能解释的差异不报。
    /// 同一数字前后不一致时，指出与其他多处相互印证的数字不符的那一个。可给目录或多个文件，
    /// 并行审核，最后列出汇总表。
    ///
    /// 退出码：0 = 没有错误；1 = 发现错误；2 = 有文件无法读取。
    ///
    /// 文件是部门决算还是部门预算，由标题（如“2019年度部门预算公开”）、表格标题或文件名判断，
    /// 并在结果中说明依据；预算按预算的口径和用语审核（“与上年相比”指上年预算）。
    ///
    /// 示例：juesuan audit 决算公开.pdf --format json
    ///       juesuan audit 预算公开表.pdf --document 预算
    Audit {
        /// 文件或目录（一个或多个）
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 口径年度
        #[arg(long, default_value_t = 2024)]
        year: i32,
        /// 按决算或预算审核（默认自动判断）
        #[arg(long, value_name = "决算|预算")]
        document: Option<String>,
        /// 并行任务数（默认为 CPU 核数）
        #[arg(short, long)]
        jobs: Option<usize>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 从 Excel 工作簿（.xlsx/.xls）导入九张决算表，写成数据集目录。
    ///
    /// 按标题找表（工作表名称、顺序不限，说明页等其他工作表忽略），识别多行合并表头、
    /// “单位：元/万元”、编码与名称同格或分列、文本数字、千分位、全角数字、空白与“－”。
    /// 所有问题一次列出（表、工作表、单元格）；有问题时不创建输出目录。
    /// 导入结果为“单位”类型的数据集（一个单位），名称取自“编制单位”行，否则 --name，
    /// 否则文件名。juesuan export 导出的工作簿还原整个数据集（部门、各单位、概况、
    /// 补充数据、变动原因等，见“数据集说明”工作表），九张表中修改过的金额写回数据集。
    /// --into 目录：只用九张表更新已有数据集的表（多个单位的数据集写入 department/），
    /// 其余内容不变。
    ///
    /// 退出码：0 = 已导入；2 = 工作簿有问题或无法写入。
    ///
    /// 示例：juesuan import 决算表.xlsx -o data/my-2024
    ///       juesuan import 改过的表.xlsx --into data/my-2024
    Import {
        /// 工作簿（.xlsx 或 .xls）
        workbook: PathBuf,
        /// 输出的数据集目录（不能已存在且非空）
        #[arg(short, long, required_unless_present = "into", conflicts_with = "into")]
        out: Option<PathBuf>,
        /// 要更新的已有数据集目录（只替换九张表）
        #[arg(long)]
        into: Option<PathBuf>,
        /// 单位名称（工作簿中没有“编制单位”行时使用）
        #[arg(long)]
        name: Option<String>,
        /// 年度（标题和模板信息中都没有年度时使用，默认 2024）
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 导出数据集：九张表的 Excel 工作簿（与 build 的 XLSX 相同），或长格式开放数据。
    ///
    /// --format xlsx（默认）：九张表，标准格式，之后的工作表为数据集的其余内容（单位、概况、
    /// 补充数据、变动原因、各单位的表），可再用 import 还原整个数据集。
    /// --format csv / json：每个（单位、表、科目/项目、栏目）一行，金额为精确的十进制字符串，
    /// 单位为数据集的金额单位；包括每个单位和部门。
    /// --format datapackage：OUT 为目录，写 data.csv、data.json、代码表和 datapackage.json。
    ///
    /// 退出码：0 = 已导出；2 = 数据集无法读取或无法写入。
    ///
    /// 示例：juesuan export examples/chifeng-sfj-2024 -o chifeng.xlsx
    Export {
        /// 数据集目录
        dir: PathBuf,
        /// 输出文件（datapackage 时为目录）
        #[arg(short, long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = ExportFormat::Xlsx)]
        format: ExportFormat,
    },
    /// 生成空白填报模板（.xlsx）：九张表、当年全部类/款/项科目、合计公式、数字校验。
    ///
    /// 填好后用 juesuan import 导入；未填金额的科目行不会导入。
    ///
    /// 退出码：0 = 已生成；2 = 年度不支持或无法写入。
    ///
    /// 示例：juesuan template --year 2024 -o 决算表模板.xlsx
    ///       juesuan template --document 预算 -o 预算表模板.xlsx
    Template {
        /// 口径年度
        #[arg(long, default_value_t = 2024)]
        year: i32,
        /// 公开文件的种类：决算（九张表）或 预算（部门预算公开表）
        #[arg(long, default_value = "决算", value_parser = parse_document)]
        document: DocKind,
        /// 输出的工作簿
        #[arg(short, long)]
        out: PathBuf,
    },
    /// 汇总一个地区：部门由所属单位汇总（抵销单位间上下级补助和上缴），地区由下级汇总。
    ///
    /// 在 OUT 下按地区树写出每个地区和部门的九张汇总表（CSV）和 node.toml。
    ///
    /// 退出码：0 = 已汇总；2 = 地区目录无法读取或无法写入。
    ///
    /// 示例：juesuan consolidate region/ -o consolidated/
    Consolidate {
        /// 地区目录（含 region.toml）
        dir: PathBuf,
        /// 输出目录
        #[arg(short, long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 生成合成地区：省、市（大时还有县）、部门（1–60 个单位）、单位，九张表和补充信息
    /// 按构造前后一致；--inject K 注入 K 个已知错误，真实位置写入 OUT/injected.json。
    /// 同一种子生成的数据完全相同。金额为元（精确到分）。
    ///
    /// 退出码：0 = 已生成；2 = 无法写入。
    ///
    /// 示例：juesuan synth --units 1000 --seed 1 --inject 20 -o synth-region
    Synth {
        /// 单位总数
        #[arg(long, default_value_t = 1000)]
        units: usize,
        /// 随机种子
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// 注入的错误个数
        #[arg(long, default_value_t = 0)]
        inject: usize,
        /// 口径年度
        #[arg(long, default_value_t = 2024)]
        year: i32,
        /// 输出目录（不能已存在且非空）
        #[arg(short, long)]
        out: PathBuf,
        /// 写成地区目录树（tree，每个部门一个数据集），或长格式 nodes.csv + amounts.csv
        /// （long，用于 juesuan scale 和 SQL 引擎；大规模时不占内存）
        #[arg(long, value_enum, default_value_t = SynthLayout::Tree)]
        layout: SynthLayout,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 大规模检查：读取长格式（nodes.csv + amounts.csv，见 docs/scale.md），逐级汇总，
    /// 在每个部门、多单位部门的每个单位和每个地区上并行运行审核规则。
    ///
    /// 金额须为元（整数分）。变动原因、绩效项目清单和公布部门表与单位汇总的比较按数据集
    /// 检查（juesuan check），不在此运行。打印各阶段用时和峰值内存。
    ///
    /// 退出码：0 = 没有错误；1 = 发现错误；2 = 文件无法读取。
    ///
    /// 示例：juesuan synth --units 10000 --layout long -o big && juesuan scale big
    Scale {
        /// 含 nodes.csv 和 amounts.csv（或 nodes.parquet 和 amounts.parquet）的目录
        dir: PathBuf,
        /// 口径年度
        #[arg(long, default_value_t = 2024)]
        year: i32,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 长格式在 CSV 与 Parquet 之间转换（nodes + amounts，列与类型见 docs/scale.md）。
    ///
    /// Parquet 文件可直接交给 DuckDB、DataFusion、Spark 等引擎；juesuan scale 两种格式都能读。
    ///
    /// 示例：juesuan convert big -o big-parquet --to parquet
    Convert {
        /// 含 nodes.csv + amounts.csv（或 nodes.parquet + amounts.parquet）的目录
        dir: PathBuf,
        /// 输出目录
        #[arg(short, long)]
        out: PathBuf,
        /// 目标格式
        #[arg(long, value_enum)]
        to: region::LongFormat,
        /// 口径年度
        #[arg(long, default_value_t = 2024)]
        year: i32,
    },
    /// 把审核规则编译为集合式 SQL（DuckDB、PostgreSQL、DataFusion 或 Spark SQL 方言）。
    ///
    /// 输出的脚本读取长格式文件，把每张表按节点展开为宽行并一次汇总全部层级，每张表的
    /// 规则一次扫描算完，并把每个不成立的规则实例写入 failures 表。各引擎的运行脚本：
    /// bench/sql_run.py（见 docs/scale.md，含 Spark 集群的 spark-submit 命令）。
    ///
    /// 示例：juesuan sql --nodes big/nodes.csv --amounts big/amounts.csv > check.sql
    ///
    /// 示例：juesuan sql --dialect spark --nodes s3a://桶/nodes.parquet --amounts s3a://桶/amounts.parquet > check.sql
    Sql {
        /// 口径年度
        #[arg(long, default_value_t = 2024)]
        year: i32,
        /// SQL 方言：duckdb、postgres（用 psql -f 运行）、datafusion、spark
        #[arg(long, value_enum, default_value = "duckdb")]
        dialect: region::SqlDialect,
        /// nodes 文件的路径（脚本中引用；以 .parquet 结尾时按 Parquet 读取）
        #[arg(long, default_value = "nodes.csv")]
        nodes: String,
        /// amounts 文件的路径（脚本中引用；以 .parquet 结尾时按 Parquet 读取）
        #[arg(long, default_value = "amounts.csv")]
        amounts: String,
    },
    /// 启动网络平台：单位填报、部门提交、财政审核与公开，以及面向公众的公开目录。
    ///
    /// 默认使用当前目录下的 SQLite 文件 juesuan.db（首次启动时创建）；共享部署用
    /// PostgreSQL：--db postgres://… 或环境变量 DATABASE_URL。--demo 载入示例数据集
    /// （已公开），为每个角色创建演示账号并打印用户名和密码。
    ///
    /// 示例：juesuan serve --demo
    Serve {
        /// 监听地址
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// 数据库：sqlite:路径 或 postgres://…（默认读 DATABASE_URL，否则 sqlite:juesuan.db）
        #[arg(long, env = "DATABASE_URL")]
        db: Option<String>,
        /// 载入示例数据集并创建演示账号（未指定数据库时使用临时 SQLite 文件）
        #[arg(long)]
        demo: bool,
        /// Cookie 加 Secure 标记（在 HTTPS 反向代理之后运行时使用）
        #[arg(long)]
        secure_cookies: bool,
        /// 可信反向代理的地址段（可重复，例 127.0.0.1/32）：仅当直接连接来自这些地址时，
        /// 才按 X-Forwarded-For 认定客户端地址（用于按地址限制登录失败）
        #[arg(long = "trusted-proxy", value_name = "CIDR", value_parser = juesuan_server::auth::Cidr::parse)]
        trusted_proxy: Vec<juesuan_server::auth::Cidr>,
    },
    /// 安装与运维网络平台：初始化数据库，创建地区、部门和用户（含第一个管理员），重置密码，备份。
    ///
    /// 与 juesuan serve 使用同一数据库（--db 或环境变量 DATABASE_URL，默认 sqlite:juesuan.db）、
    /// 同一套迁移和密码哈希（argon2id）。密码只从标准输入读取（--password-stdin），从不写在命令行上。
    /// 部署步骤见 docs/deploy.md。
    ///
    /// 退出码：0 = 完成；2 = 参数有误、数据库无法打开或操作被拒绝。
    ///
    /// 示例：juesuan admin init --db sqlite:/var/lib/juesuan/juesuan.db
    Admin {
        /// 数据库：sqlite:路径 或 postgres://…（默认读 DATABASE_URL，否则 sqlite:juesuan.db）
        #[arg(long, env = "DATABASE_URL", global = true)]
        db: Option<String>,
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// 列出某一年度的审核规则目录。
    Rules {
        /// 年度
        #[arg(long, default_value_t = 2024)]
        year: i32,
        /// 公开文件的种类：决算 或 预算
        #[arg(long, default_value = "决算", value_parser = parse_document)]
        document: DocKind,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// 创建数据库（SQLite 文件不存在时）并应用全部迁移。
    ///
    /// 示例：juesuan admin init --db sqlite:juesuan.db
    Init,
    /// 创建地区（部门和财政用户所属的地区，如“赤峰市”）。
    ///
    /// 示例：juesuan admin add-region 赤峰市
    AddRegion {
        /// 地区名称
        name: String,
    },
    /// 创建部门，打印其编号。
    ///
    /// 示例：juesuan admin add-department 赤峰市司法局 --region 赤峰市
    AddDepartment {
        /// 部门名称
        name: String,
        /// 所属地区（须已用 add-region 创建）
        #[arg(long)]
        region: String,
    },
    /// 创建用户；密码从标准输入的第一行读取（至少 10 个字符）。
    ///
    /// 角色：admin（管理员）、finance（财政，须 --region）、dept（部门，须 --department）、
    /// unit（单位，须 --department 和 --unit）。
    ///
    /// 示例：printf '%s\n' "$PASSWORD" | juesuan admin add-user admin --role admin --password-stdin
    AddUser {
        /// 用户名（字母、数字、“-”“_”“.”）
        username: String,
        /// 角色
        #[arg(long, value_enum)]
        role: AdminRole,
        /// 部门编号或名称（部门和单位用户）
        #[arg(long)]
        department: Option<String>,
        /// 单位编号，即数据集中 units/ 下的 id（单位用户）
        #[arg(long)]
        unit: Option<String>,
        /// 地区（财政用户）
        #[arg(long)]
        region: Option<String>,
        /// 显示的姓名（默认为用户名）
        #[arg(long)]
        name: Option<String>,
        /// 从标准输入读取密码（必需：密码不在命令行上传递）
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// 列出全部用户（编号、用户名、角色、部门、单位、地区、创建时间）。
    ListUsers,
    /// 重置用户的密码（从标准输入读取），并使其已登录的会话全部退出。
    ///
    /// 示例：printf '%s\n' "$PASSWORD" | juesuan admin reset-password caizheng --password-stdin
    ResetPassword {
        /// 用户名
        username: String,
        /// 从标准输入读取新密码（必需）
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// 备份 SQLite 数据库（运行中也可，得到一致的副本）；PostgreSQL 请用 pg_dump。
    ///
    /// 示例：juesuan admin backup --db sqlite:juesuan.db juesuan-备份.db
    Backup {
        /// 备份文件（不能已存在）
        out: PathBuf,
    },
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum AdminRole {
    Admin,
    Finance,
    Dept,
    Unit,
}

/// The first line of standard input, without its line end.
fn password_from_stdin() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("无法从标准输入读取密码：{e}"))?;
    let pw = line.trim_end_matches(['\n', '\r']).to_string();
    if pw.is_empty() {
        return Err("标准输入中没有密码".into());
    }
    Ok(pw)
}

fn admin(db: Option<String>, command: AdminCommand) -> ExitCode {
    use juesuan_server::auth::Role;
    use juesuan_server::setup::AdminOp;
    let op = || -> Result<AdminOp, String> {
        Ok(match command {
            AdminCommand::Init => AdminOp::Init,
            AdminCommand::AddRegion { name } => AdminOp::AddRegion { name },
            AdminCommand::AddDepartment { name, region } => AdminOp::AddDepartment { name, region },
            AdminCommand::AddUser {
                username,
                role,
                department,
                unit,
                region,
                name,
                password_stdin: _,
            } => AdminOp::AddUser {
                username,
                role: match role {
                    AdminRole::Admin => Role::Admin,
                    AdminRole::Finance => Role::Finance,
                    AdminRole::Dept => Role::Dept,
                    AdminRole::Unit => Role::Unit,
                },
                department,
                unit,
                region,
                display_name: name,
                password: password_from_stdin()?,
            },
            AdminCommand::ListUsers => AdminOp::ListUsers,
            AdminCommand::ResetPassword {
                username,
                password_stdin: _,
            } => AdminOp::ResetPassword {
                username,
                password: password_from_stdin()?,
            },
            AdminCommand::Backup { out } => AdminOp::Backup { out },
        })
    };
    let url = db.unwrap_or_else(|| juesuan_server::db::DEFAULT_URL.to_string());
    match op().and_then(|op| juesuan_server::setup::admin_blocking(&url, op)) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("juesuan admin：{e}");
            ExitCode::from(2)
        }
    }
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    Xlsx,
    Csv,
    Json,
    Datapackage,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum SynthLayout {
    Tree,
    Long,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
}

fn serve(
    addr: std::net::SocketAddr,
    db: Option<String>,
    demo: bool,
    secure_cookies: bool,
    trusted_proxies: Vec<juesuan_server::auth::Cidr>,
) -> ExitCode {
    match juesuan_server::serve_blocking(juesuan_server::ServeOptions {
        addr,
        database_url: db,
        demo,
        secure_cookies,
        trusted_proxies,
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    progress::set_quiet(cli.quiet);
    match cli.command {
        Command::Check {
            dir, format, year, ..
        } if juesuan_load::is_region(&dir) => {
            if year.is_some() {
                eprintln!("--year 只用于检查单个数据集，不用于地区目录");
                return ExitCode::from(2);
            }
            region::check(&dir, format)
        }
        Command::Check { dir, format, year } => check(&dir, year, format),
        Command::Consolidate { dir, out, format } => region::consolidate(&dir, &out, format),
        Command::Synth {
            units,
            seed,
            inject,
            year,
            out,
            layout: SynthLayout::Tree,
            format,
        } => region::synth(&out, units, seed, inject, year, format),
        Command::Synth {
            units,
            seed,
            inject,
            year,
            out,
            layout: SynthLayout::Long,
            format,
        } => region::synth_long(&out, units, seed, inject, year, format),
        Command::Scale { dir, year, format } => region::scale(&dir, year, format),
        Command::Convert { dir, out, to, year } => region::convert(&dir, &out, year, to),
        Command::Sql {
            year,
            dialect,
            nodes,
            amounts,
        } => region::sql(year, dialect, &nodes, &amounts),
        Command::Rules {
            year,
            document,
            format,
        } => rules(year, document, format),
        Command::Admin { db, command } => admin(db, command),
        Command::Serve {
            addr,
            db,
            demo,
            secure_cookies,
            trusted_proxy,
        } => serve(addr, db, demo, secure_cookies, trusted_proxy),
        Command::Import {
            workbook,
            out,
            into,
            name,
            year,
            format,
        } => import(
            &workbook,
            out.as_deref(),
            into.as_deref(),
            juesuan_import::Options { name, year },
            format,
        ),
        Command::Export { dir, out, format } => export(&dir, &out, format),
        Command::Template {
            year,
            document,
            out,
        } => template(year, document, &out),
        Command::Audit {
            files,
            year,
            document,
            jobs,
            format,
        } => {
            let kind = match document.as_deref().map(juesuan_audit::DocKind::parse) {
                None => None,
                Some(Some(k)) => Some(k),
                Some(None) => {
                    eprintln!(
                        "--document 只能是“决算”或“预算”，写的是“{}”",
                        document.unwrap_or_default()
                    );
                    return ExitCode::from(2);
                }
            };
            audit_command(&files, year, kind, jobs, format)
        }
        Command::Build {
            dirs,
            out,
            formats,
            draft,
            units,
            jobs,
            suggest_reasons,
            format,
        } => {
            if suggest_reasons {
                for line in explain::suggest(&dirs) {
                    eprintln!("{line}");
                }
            }
            build_command(&dirs, out, formats, draft, units, jobs, format)
        }
        Command::Explain { dir, format } => explain::explain(&dir, format),
        Command::Crosscheck {
            first,
            second,
            budget,
            map,
            format,
        } => explain::crosscheck(&first, &second, budget, map.as_deref(), format),
    }
}

fn audit_command(
    inputs: &[PathBuf],
    year: i32,
    kind: Option<juesuan_audit::DocKind>,
    jobs: Option<usize>,
    format: Format,
) -> ExitCode {
    let files = audit::expand(inputs);
    if files.is_empty() {
        eprintln!("没有找到可审核的文件（.txt、.docx、.pdf）");
        return ExitCode::from(2);
    }
    let jobs = jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let results = audit::run(&files, year, kind, jobs);
    match format {
        Format::Json => {
            let value = if results.len() == 1 && inputs.len() == 1 && !inputs[0].is_dir() {
                match &results[0].1 {
                    Ok(r) => serde_json::to_value(r).unwrap_or_default(),
                    Err(e) => serde_json::json!({ "file": results[0].0, "error": e }),
                }
            } else {
                let files: Vec<_> = results
                    .iter()
                    .map(|(f, r)| match r {
                        Ok(r) => serde_json::json!({ "file": f, "findings": r.findings, "summary": r.summary, "tables": r.tables }),
                        Err(e) => serde_json::json!({ "file": f, "error": e }),
                    })
                    .collect();
                serde_json::json!({ "files": files })
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        Format::Human => {
            for (f, r) in &results {
                match r {
                    Ok(r) => print!("{}", audit::human(f, r)),
                    Err(e) => eprintln!("{e}"),
                }
            }
            if results.len() > 1 {
                print!("{}", audit::table(&results));
            }
        }
    }
    if results.iter().any(|(_, r)| r.is_err()) {
        ExitCode::from(2)
    } else if results
        .iter()
        .any(|(_, r)| r.as_ref().is_ok_and(|r| r.summary.errors > 0))
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn build_command(
    dirs: &[PathBuf],
    out: PathBuf,
    mut formats: Vec<build::OutputFormat>,
    draft: bool,
    units: bool,
    jobs: Option<usize>,
    format: Format,
) -> ExitCode {
    formats.sort();
    formats.dedup();
    let opts = build::Options {
        out,
        formats,
        draft,
        units,
        jobs: jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        }),
    };
    let started = std::time::Instant::now();
    let outcomes = build::run(dirs, &opts);
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "datasets": outcomes }))
                .unwrap_or_default()
        ),
        Format::Human => {
            for o in &outcomes {
                let head = match o.status {
                    "built" => "已生成",
                    "draft" => "已生成草稿",
                    "refused" => "拒绝生成",
                    _ => "失败",
                };
                println!("{head}：{}（{} ms）", o.dataset, o.millis);
                for m in &o.messages {
                    println!("  {m}");
                }
                for f in &o.outputs {
                    println!("  {f}");
                }
            }
            if outcomes.len() > 1 {
                let count = |s: &str| outcomes.iter().filter(|o| o.status == s).count();
                println!(
                    "共 {} 个数据集：生成 {}，草稿 {}，拒绝 {}，失败 {}；用时 {:.1} 秒。",
                    outcomes.len(),
                    count("built"),
                    count("draft"),
                    count("refused"),
                    count("failed"),
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }
    if outcomes.iter().any(|o| o.status == "failed") {
        ExitCode::from(2)
    } else if outcomes.iter().any(|o| o.status == "refused") {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check(dir: &std::path::Path, year: Option<i32>, format: Format) -> ExitCode {
    // the units' own unit.toml files are read as `build --units` reads them (D10)
    let loaded = juesuan_load::load_dataset_as(dir, year).and_then(|d| {
        let has_unit_files = d
            .units
            .iter()
            .any(|u| dir.join("units").join(&u.id).join("unit.toml").is_file());
        match has_unit_files {
            true => juesuan_load::unit_disclosures(dir, &d).map(|_| d),
            false => Ok(d),
        }
    });
    let disclosure = match loaded {
        Ok(d) => d,
        Err(problems) => {
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::json!({ "problems": problems, "summary": { "problems": problems.len() } })
                ),
                Format::Human => {
                    eprintln!("无法读取数据集 {}：", dir.display());
                    for p in &problems {
                        eprintln!("  {p}");
                    }
                    eprintln!("共 {} 个问题。", problems.len());
                }
            }
            return ExitCode::from(2);
        }
    };
    let report = match juesuan_check::check_disclosure(&disclosure) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("无法检查：{e}");
            return ExitCode::from(2);
        }
    };
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        Format::Human => print!("{}", report.to_human(&disclosure.entity.name)),
    }
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn import(
    workbook: &std::path::Path,
    out: Option<&std::path::Path>,
    into: Option<&std::path::Path>,
    opts: juesuan_import::Options,
    format: Format,
) -> ExitCode {
    let (result, out) = match (out, into) {
        (_, Some(dir)) => {
            let p = progress::Progress::phase(&format!("导入 {} …", workbook.display()));
            let r = juesuan_import::update(workbook, dir, &opts);
            p.finish();
            (r, dir)
        }
        (Some(out), None) => {
            let p = progress::Progress::phase(&format!("导入 {} …", workbook.display()));
            let r = juesuan_import::import(workbook, out, &opts);
            p.finish();
            (r, out)
        }
        // clap requires one of them
        (None, None) => return ExitCode::from(2),
    };
    match result {
        Ok(imp) => {
            let rows: usize = imp.tables.tables.values().map(|t| t.rows().len()).sum();
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::json!({
                        "dataset": out.display().to_string(), "entity": imp.name,
                        "year": imp.year, "unit": imp.unit.chinese(), "rows": rows,
                        "from_template": imp.from_template, "dataset_restored": imp.carried.is_some(),
                    })
                ),
                Format::Human => println!(
                    "已导入：{} → {}（{}，{} 年度，金额单位{}，{} 行{}）",
                    workbook.display(),
                    out.display(),
                    imp.name,
                    imp.year,
                    imp.unit.chinese(),
                    rows,
                    match (into.is_some(), imp.carried.is_some()) {
                        (true, _) => "；只更新了表格，其余内容不变",
                        (false, true) => "；已还原导出的整个数据集",
                        (false, false) => "",
                    }
                ),
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::json!({ "problems": problems, "summary": { "problems": problems.len() } })
                ),
                Format::Human => {
                    eprintln!("无法导入 {}：", workbook.display());
                    for p in &problems {
                        eprintln!("  {p}");
                    }
                    eprintln!("共 {} 个问题；{} 没有改动。", problems.len(), out.display());
                }
            }
            ExitCode::from(2)
        }
    }
}

fn export(dir: &std::path::Path, out: &std::path::Path, format: ExportFormat) -> ExitCode {
    let disclosure = match juesuan_load::load_dataset(dir) {
        Ok(d) => d,
        Err(problems) => {
            eprintln!("无法读取数据集 {}：", dir.display());
            for p in &problems {
                eprintln!("  {p}");
            }
            eprintln!("共 {} 个问题。", problems.len());
            return ExitCode::from(2);
        }
    };
    let written = match format {
        ExportFormat::Xlsx => juesuan_report::build(&disclosure)
            .and_then(|doc| juesuan_import::export_workbook(dir, &doc))
            .and_then(|bytes| {
                std::fs::write(out, bytes).map_err(|e| format!("无法写入 {}：{e}", out.display()))
            })
            .map(|()| String::new()),
        ExportFormat::Csv | ExportFormat::Json => juesuan_opendata::long_records(&disclosure)
            .and_then(|recs| {
                let bytes = if format == ExportFormat::Csv {
                    juesuan_opendata::to_csv(&recs)?
                } else {
                    juesuan_opendata::to_json(&recs)?
                };
                std::fs::write(out, bytes)
                    .map_err(|e| format!("无法写入 {}：{e}", out.display()))?;
                Ok(format!("，{} 条记录", recs.len()))
            }),
        ExportFormat::Datapackage => {
            juesuan_opendata::write_long_package(&disclosure, out).map(|n| format!("，{n} 条记录"))
        }
    };
    match written {
        Ok(note) => {
            println!("已导出：{} → {}{note}", dir.display(), out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("无法导出：{e}");
            ExitCode::from(2)
        }
    }
}

fn template(year: i32, document: DocKind, out: &std::path::Path) -> ExitCode {
    let blank = juesuan_model::TableSet::default();
    let workbook = juesuan_import::template_workbook_of(document, year, &blank);
    let written = workbook.and_then(|bytes| {
        std::fs::write(out, bytes).map_err(|e| format!("无法写入 {}：{e}", out.display()))
    });
    match written {
        Ok(()) => {
            println!(
                "已生成 {year} 年度{}填报模板：{}",
                document.chinese(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("无法生成模板：{e}");
            ExitCode::from(2)
        }
    }
}

fn parse_document(text: &str) -> Result<DocKind, String> {
    DocKind::parse(text).ok_or_else(|| format!("应为“决算”或“预算”，为“{text}”"))
}

fn rules(year: i32, document: DocKind, format: Format) -> ExitCode {
    let catalogue = match Catalogue::for_kind(document, year) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match format {
        Format::Json => {
            let list: Vec<_> = catalogue
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "severity": r.severity, "message": r.message,
                        "formula": r.formula,
                        "builtin": matches!(r.check, Check::DepartmentEqualsUnits | Check::EliminationsMatch),
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        }
        Format::Human => {
            for r in &catalogue.rules {
                println!("{:<36} {}  {}", r.id, r.severity.chinese(), r.message);
                println!("{:<36}       {}", "", r.formula);
            }
            println!("共 {} 条规则。", catalogue.rules.len());
        }
    }
    ExitCode::SUCCESS
}
