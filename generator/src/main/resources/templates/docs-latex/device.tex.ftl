<#assign sec = "Device Types / " + tex.labelKey(doc.title) + " Device">
<#assign name = tex.escape(doc.title)>
% ${marker}
\section{${name} Device}\label{sec:${sec}}

<#list doc.paragraphs as p>
${tex.escape(p)}

</#list>
<#if doc.status != "standard">
\textbf{Status:} ${doc.status} (modelled after VIRTIO ${tex.escape(doc.specVersion)}).

</#if>
<#if doc.extended()>
Elements marked \emph{(proposed)} are what the proposal in \texttt{${tex.escape(doc.source)}} adds to the device.

</#if>
\subsection{Device ID}\label{sec:${sec} / Device ID}

${doc.id}

\subsection{Virtqueues}\label{sec:${sec} / Virtqueues}

<#if doc.queues?has_content>
\begin{description}
<#list doc.queues as q>
\item[${tex.escape(q.indexes)}] ${tex.escape(q.name)}<#if doc.adds("queue", q.name)> \emph{(proposed)}</#if><#if q.count != "1"> (${tex.escape(q.count)} queues)</#if><#if q.condition?has_content>, only if ${tex.escape(q.condition)} is negotiated</#if>. ${tex.escape(q.doc)}
</#list>
\end{description}
<#else>
The device has no virtqueues.
</#if>

\subsection{Feature bits}\label{sec:${sec} / Feature bits}

<#if doc.features?has_content>
\begin{description}
<#list doc.features as f>
\item[${tex.escape(f.macro)} (${f.bit})]<#if doc.adds("feature", f.name)> \emph{(proposed)}</#if> ${tex.escape(f.doc)}<#if f.requires?has_content> Requires ${tex.escape(f.requires)}.</#if><#if f.flags()?has_content> (${f.flags()})</#if><#list f.aliases as a> Also known as ${tex.escape(a)}.</#list>

</#list>
\end{description}
<#else>
There are currently no feature bits defined for this device.
</#if>

\subsection{Device configuration layout}\label{sec:${sec} / Device configuration layout}

<#if !doc.hasConfig()>
The device has no configuration space.

</#if>
<#list doc.structs as s>
<#if doc.adds("struct", s.name)>\emph{(proposed)} </#if>${tex.escape(s.doc)}

\begin{lstlisting}
${s.listing}
\end{lstlisting}

</#list>
\subsection{Device Initialization}\label{sec:${sec} / Device Initialization}

<#if doc.initialization?has_content>
\begin{enumerate}
<#list doc.initialization as s>
\item ${tex.escape(s)}
</#list>
\end{enumerate}
<#else>
The device needs no initialization beyond the general steps.
</#if>

\subsection{Device Operation}\label{sec:${sec} / Device Operation}

<#list doc.requests as r>
\paragraph{${tex.escape(r.name)}}<#if doc.adds("request", r.name)> \emph{(proposed)}</#if> on ${tex.escape(r.queue)}<#if r.selector?has_content>, selected by ${tex.escape(r.selector)}</#if>. ${tex.escape(r.doc)}

\begin{lstlisting}
/* device-readable */
<#list r.readableListing as line>
${line}
</#list>
/* device-writable */
<#list r.writableListing as line>
${line}
</#list>
\end{lstlisting}

</#list>
<#if doc.driverRequirements?has_content>
\drivernormative{\subsubsection}{Device Operation}{${sec} / Device Operation}

<#list doc.driverRequirements as q>
% ${q.id}
The driver ${q.keyword()} ${tex.escape(q.text)}<#if doc.adds("requirement", q.id)> \emph{(proposed)}</#if>

</#list>
</#if>
<#if doc.deviceRequirements?has_content>
\devicenormative{\subsubsection}{Device Operation}{${sec} / Device Operation}

<#list doc.deviceRequirements as q>
% ${q.id}
The device ${q.keyword()} ${tex.escape(q.text)}<#if doc.adds("requirement", q.id)> \emph{(proposed)}</#if>

</#list>
</#if>
<#list [["Driver", "driver", doc.driverRequirements], ["Device", "device", doc.deviceRequirements]] as c>
<#if c[2]?has_content>
\conformance{\subsection}{${name} ${c[0]} Conformance}\label{sec:Conformance / ${c[0]} Conformance / ${tex.labelKey(doc.title)} ${c[0]} Conformance}

A ${name} ${c[1]} MUST conform to the following normative statements:

\begin{itemize}
\item \ref{${c[1]}normative:${sec} / Device Operation}
\end{itemize}

</#if>
</#list>
